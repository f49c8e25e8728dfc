import type { Request, Response } from 'express';
import type { SsoClaims } from '../../lib/sso/claims';
import { signInWithSso } from '../../lib/sso/sign-in';
import type { WebDeps } from '../deps';
import type { ReadyTenant } from './acs';
import { pendingPage } from './pages';
import { pendingPaths, rememberPending } from './pending';
import { startSsoSession } from './session';

/**
 * The end of every verified sign-in (SP- or IdP-initiated): find or make the account, then
 * either sign in and land on `relayState`, or show the page that waits for its workflow.
 */
export async function completeSignIn(
  deps: WebDeps,
  req: Request,
  res: Response,
  tenant: ReadyTenant,
  claims: SsoClaims,
  relayState: string,
): Promise<void> {
  const result = await signInWithSso(deps, tenant, claims);
  if (result.kind === 'pending') {
    rememberPending(req, tenant.tenantId, result, claims, relayState);
    res.type('html').send(pendingPage(result.work, pendingPaths(result.work)));
    return;
  }
  await startSsoSession(deps, req, result, tenant, claims);
  res.redirect(303, relayState);
}
