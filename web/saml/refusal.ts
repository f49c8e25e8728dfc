import type { Request, Response } from 'express';
import { audit } from '../../lib/audit';
import { POLICY_REASONS, type SamlRejection } from '../../lib/saml/rejection';
import type { TenantSaml } from '../../lib/saml/tenant-config';
import type { SsoClaims } from '../../lib/sso/claims';
import { evidenceItemFor, reportSsoEvidence } from '../../lib/sso/evidence';
import { requestContext } from '../http/request-context';
import type { WebDeps } from '../deps';
import { refusedPage } from './pages';

export interface RefusalContext {
  tenantId: string;
  tenant?: TenantSaml;
  claims?: SsoClaims;
}

/**
 * Every refused SSO sign-in: one `saml.rejected` audit event with the exact reason and what
 * was expected vs received; the event ID is the reference shown to the person. While the
 * tenant is being tested, refusals that prove a checklist item are reported as evidence.
 */
export async function auditRejection(deps: Pick<WebDeps, 'temporal'>, req: Request, rejection: SamlRejection, ctx: RefusalContext): Promise<string> {
  const reference = await audit({
    action: 'saml.rejected',
    outcome: 'denied',
    actor: ctx.claims ? { kind: 'anonymous', email: ctx.claims.email } : { kind: 'anonymous' },
    target: { type: 'tenant', id: ctx.tenantId },
    tenantId: ctx.tenantId,
    ...requestContext(req),
    details: {
      reason: rejection.reason,
      message: rejection.message,
      ...(rejection.expected !== undefined ? { expected: rejection.expected } : {}),
      ...(rejection.received !== undefined ? { received: rejection.received } : {}),
      ...(ctx.claims ? { objectId: ctx.claims.objectId } : {}),
    },
  });
  const item = evidenceItemFor(rejection.reason);
  if (item && ctx.tenant) {
    await reportSsoEvidence(deps.temporal, {
      tenantId: ctx.tenantId,
      stage: ctx.tenant.stage,
      configVersion: ctx.tenant.configVersion,
      item,
      ...(ctx.claims ? { email: ctx.claims.email } : {}),
      auditEventIds: [reference],
      summary: `SSO sign-in refused (${rejection.reason}): ${rejection.message}`,
    });
  }
  return reference;
}

export function rejectionStatus(rejection: SamlRejection): number {
  if (rejection.reason === 'body-too-large') return 413;
  return POLICY_REASONS.has(rejection.reason) ? 403 : 400;
}

/** Audits, then answers with the generic page (or the policy page that says what to do). */
export async function refuseSignIn(deps: Pick<WebDeps, 'temporal'>, req: Request, res: Response, rejection: SamlRejection, ctx: RefusalContext): Promise<void> {
  const reference = await auditRejection(deps, req, rejection, ctx);
  res.status(rejectionStatus(rejection)).type('html').send(refusedPage(rejection.reason, reference));
}
