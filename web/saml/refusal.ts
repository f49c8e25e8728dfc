import type { Request, RequestHandler, Response } from 'express';
import { audit } from '../../lib/audit';
import { SamlRejection } from '../../lib/saml/rejection';
import type { TenantSaml } from '../../lib/saml/tenant-config';
import type { SsoClaims } from '../../lib/sso/claims';
import { evidenceItemFor, reportSsoEvidence } from '../../lib/sso/evidence';
import { requestContext } from '../http/request-context';
import type { WebDeps } from '../deps';

/** What is known about a sign-in when it is refused: filled in by the endpoint as it learns it. */
export interface RefusalContext {
  tenantId: string;
  tenant?: TenantSaml;
  claims?: SsoClaims;
}

type SamlHandler = (req: Request, res: Response, ctx: RefusalContext) => Promise<unknown>;

/**
 * A SAML endpoint (ACS, the pages that finish a waiting sign-in). A SamlRejection it throws is
 * audited here, with what the endpoint had learnt by then, and goes on to the error middleware
 * with its reference: the generic or policy page (web/saml/pages.ts), or JSON for the poll.
 */
export function samlEndpoint(deps: Pick<WebDeps, 'temporal'>, handler: SamlHandler): RequestHandler {
  return async (req, res) => {
    const ctx: RefusalContext = { tenantId: '' };
    try {
      await handler(req, res, ctx);
    } catch (err) {
      if (err instanceof SamlRejection) err.reference = await auditRejection(deps, req, err, ctx);
      throw err;
    }
  };
}

/**
 * Every refused SSO sign-in: one `saml.rejected` audit event with the exact reason and what
 * was expected vs received; the event ID is the reference shown to the person. While the
 * tenant is being tested, refusals that prove a checklist item are reported as evidence.
 */
async function auditRejection(deps: Pick<WebDeps, 'temporal'>, req: Request, rejection: SamlRejection, ctx: RefusalContext): Promise<string> {
  const reference = await audit({
    action: 'saml.rejected',
    outcome: 'denied',
    actor: ctx.claims ? { kind: 'anonymous', email: ctx.claims.email } : { kind: 'anonymous' },
    target: { type: 'tenant', id: ctx.tenantId },
    tenantId: ctx.tenantId,
    ...requestContext(req),
    details: { ...rejection.auditDetails(), ...(ctx.claims ? { objectId: ctx.claims.objectId } : {}) },
  });
  const item = evidenceItemFor(rejection.reason);
  if (item && ctx.tenant) {
    await reportSsoEvidence(deps.temporal, {
      tenantId: ctx.tenantId,
      stage: ctx.tenant.stage,
      item,
      ...(ctx.claims ? { email: ctx.claims.email } : {}),
      auditEventIds: [reference],
      summary: `SSO sign-in refused (${rejection.reason}): ${rejection.message}`,
    });
  }
  return reference;
}
