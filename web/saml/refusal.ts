import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { audit } from '../../lib/audit';
import { FailureType } from '../../lib/contracts/failures';
import { Refusal } from '../../lib/contracts/refusal';
import { unavailable } from '../../lib/errors';
import { SamlRejection } from '../../lib/saml/rejection';
import type { TenantSaml } from '../../lib/saml/tenant-config';
import type { SsoClaims } from '../../lib/sso/claims';
import { noteSignatureRefusal } from '../../lib/connection/signature-burst';
import { evidenceItemFor, reportSsoEvidence } from '../../lib/sso/evidence';
import { requestContext } from '../http/request-context';
import type { WebDeps } from '../deps';
import { testRunOfRequest } from '../../lib/portal/test-sign-in';
import { requestIdsOf } from '../../lib/saml/request-ids';
import { reportTestRefusal } from './test-sign-in';

/** What is known about a sign-in when it is refused: filled in by the endpoint as it learns it. */
export interface RefusalContext {
  tenantId: string;
  tenant?: TenantSaml;
  claims?: SsoClaims;
  /** The Response's (unsigned) InResponseTo, once read. */
  inResponseTo?: string;
  /** The portal test sign-in this answers (null: none), once the signed assertion says. */
  testRunId?: string | null;
}

const ABOUT_THE_REQUEST: ReadonlySet<FailureType> = new Set([FailureType.NotFound, FailureType.RateLimited]);

type SamlHandler = (req: Request, res: Response, ctx: RefusalContext) => Promise<unknown>;

/**
 * A SAML endpoint (login, ACS, the pages that finish a waiting sign-in), and the one place its
 * outcomes are classified. A SamlRejection (a check on the message, or the organisation's
 * policy) is audited as `saml.rejected` with what the endpoint had learnt by then. A refusal of
 * the request itself is just that: 404 (the address names no tenant or no waiting sign-in), 429
 * (too many attempts). Anything else is our failure, whatever it is (database, Temporal, a bug,
 * a refusal from deeper down): audited as `sso.error`, answered 503 "try again", never given a
 * SAML reason or counted as evidence. Each goes on to the error middleware with its reference.
 */
export function samlEndpoint(deps: Pick<WebDeps, 'temporal' | 'config'>, handler: SamlHandler): RequestHandler {
  return async (req, res) => {
    const ctx: RefusalContext = { tenantId: '' };
    try {
      await handler(req, res, ctx);
    } catch (err) {
      if (err instanceof SamlRejection) {
        err.reference = await auditRejection(deps, req, err, ctx);
        // A portal test sign-in's refusal is reported to the admin who started it, with its reason.
        const testRunId =
          ctx.testRunId === undefined ? testRunOfRequest(requestIdsOf(deps.config), ctx.tenantId, ctx.inResponseTo) : ctx.testRunId;
        if (testRunId) return reportTestRefusal(res, ctx, testRunId, err);
        throw err;
      }
      if (err instanceof Refusal && ABOUT_THE_REQUEST.has(err.type)) throw err;
      const failure = unavailable(
        'Something went wrong on our side while signing you in. Try again in a moment; if it keeps happening, give our support this reference.',
        {
          reason: 'sso_error',
          cause: err,
        },
      );
      failure.reference = await auditInternalError(req, err, ctx);
      throw failure;
    }
  };
}

/** `sso.error`: the reference shown to the person, and what went wrong for us to find. */
async function auditInternalError(req: Request, err: unknown, ctx: RefusalContext): Promise<string> {
  const cause = err instanceof Error && err.cause instanceof Error ? { cause: `${err.cause.name}: ${err.cause.message}` } : {};
  const error = err instanceof Error ? { error: err.name, message: err.message, ...cause } : { error: String(err) };
  const reference = await audit({
    action: 'sso.error',
    outcome: 'failure',
    actor: ctx.claims ? { kind: 'anonymous', email: ctx.claims.email } : { kind: 'anonymous' },
    ...(ctx.tenantId ? { target: { type: 'tenant', id: ctx.tenantId }, tenantId: ctx.tenantId } : {}),
    ...requestContext(req),
    details: { ...error, path: req.path },
  }).catch((auditErr: unknown) => {
    // The database may be what failed: the log then carries the reference alone.
    console.error('sso: could not audit an internal error', auditErr);
    return randomUUID();
  });
  console.error(`sso: internal error ${reference} on ${req.method} ${req.path}`, err);
  return reference;
}

/**
 * Every refused SSO sign-in: one `saml.rejected` audit event with the exact reason and what
 * was expected vs received; the event ID is the reference shown to the person. While the
 * tenant is being tested, refusals that prove a checklist item are reported as evidence; once
 * it is live, signature refusals are counted for the connection's burst alarm.
 */
async function auditRejection(
  deps: Pick<WebDeps, 'temporal' | 'config'>,
  req: Request,
  rejection: SamlRejection,
  ctx: RefusalContext,
): Promise<string> {
  const reference = await audit({
    action: 'saml.rejected',
    outcome: 'denied',
    actor: ctx.claims ? { kind: 'anonymous', email: ctx.claims.email } : { kind: 'anonymous' },
    target: { type: 'tenant', id: ctx.tenantId },
    tenantId: ctx.tenantId,
    ...requestContext(req),
    details: { ...rejection.auditDetails(), ...(ctx.claims ? { objectId: ctx.claims.objectId } : {}) },
  });
  // A live tenancy's signature refusals may be a certificate rotated without notice.
  if (rejection.reason === 'signature-invalid' && ctx.tenant?.stage === 'live')
    await noteSignatureRefusal(deps.temporal, deps.config, ctx.tenantId, reference);
  // Only before go-live: a live tenant's refusals (attacks included) cost no look-up here.
  const item = ctx.tenant && ctx.tenant.stage !== 'live' ? await evidenceItemFor(ctx.tenantId, rejection) : undefined;
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
