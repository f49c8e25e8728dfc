import type { Request, Response } from 'express';
import { audit } from '../../lib/audit';
import { notFound } from '../../lib/errors';
import type { OnceClaim } from '../../lib/saml/checks/replay';
import { heldSignInPath, holdSignIn, peekHeldSignIn } from '../../lib/saml/idp-initiated';
import type { SsoClaims } from '../../lib/sso/claims';
import { csrfToken } from '../http/csrf';
import { requestContext } from '../http/request-context';
import type { WebDeps } from '../deps';
import { signInTenant, type ReadyTenant } from './acs';
import { completeSignIn } from './complete';
import { switchAccountPage } from './pages';
import type { RefusalContext } from './refusal';

/** The ACS's answer to a verified unsolicited response: hold it, continue same-site (lib/saml/idp-initiated.ts). */
export async function holdIdpInitiated(
  deps: Pick<WebDeps, 'config'>,
  res: Response,
  tenant: ReadyTenant,
  claims: SsoClaims,
  relayState: string,
  once: OnceClaim,
): Promise<void> {
  const handle = await holdSignIn(deps.config, { tenantId: tenant.tenantId, claims, relayState, once });
  res.set('Cache-Control', 'no-store').redirect(303, heldSignInPath(tenant.tenantId, handle));
}

const gone = () => notFound('This sign-in has expired or was already used. Open Entrada again from your organisation’s portal.');

/**
 * The same-site step of an IdP-initiated sign-in. Nobody signed in in this browser, or the
 * same person: it signs in. Someone else signed in: it never switches silently (login CSRF).
 * The GET shows who is signed in and who the portal sent (audited `sso.idp-initiated.held`);
 * only the POST from that page, with its CSRF token, switches (`confirmed`). Whoever finishes it
 * wins the assertion's single-use claim; any other hold of the same assertion (a replay at the
 * ACS makes one) is then refused as `assertion-replayed`.
 */
export async function continueIdpInitiated(
  deps: WebDeps,
  req: Request,
  res: Response,
  ctx: RefusalContext,
  handle: string,
  confirmed: boolean,
): Promise<void> {
  // Both reads at once: the held sign-in names its tenant, so it is read by the route's.
  const [tenant, peeked] = await Promise.all([
    signInTenant(deps, ctx.tenantId),
    peekHeldSignIn(deps.config, ctx.tenantId.toLowerCase(), handle),
  ]);
  ctx.tenant = tenant;
  if (!peeked) throw gone();
  const { held } = peeked;
  ctx.claims = held.claims;
  const current = req.user;
  const switching = Boolean(current && current.email.toLowerCase() !== held.claims.email.toLowerCase());
  if (switching && !confirmed) {
    await auditHeld(req, tenant.tenantId, held.claims, 'sso.idp-initiated.held');
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        switchAccountPage({ current: current!.email, next: held.claims.email, organisation: tenant.name }, req.originalUrl, csrfToken(req)),
      );
    return;
  }
  await peeked.take(); // the assertion's single-use claim: a second taker is refused as a replay
  if (switching) await auditHeld(req, tenant.tenantId, held.claims, 'sso.idp-initiated.switched');
  await completeSignIn(deps, req, res, tenant, held.claims, held.relayState);
}

function auditHeld(req: Request, tenantId: string, claims: SsoClaims, action: string): Promise<string> {
  const current = req.user!;
  return audit({
    action,
    outcome: action.endsWith('held') ? 'denied' : 'success',
    actor: { kind: 'user', userId: current.id, email: current.email },
    target: { type: 'tenant', id: tenantId },
    tenantId,
    ...requestContext(req),
    details: {
      incomingEmail: claims.email,
      incomingObjectId: claims.objectId,
      ...(claims.assertionId ? { assertionId: claims.assertionId } : {}),
    },
  });
}
