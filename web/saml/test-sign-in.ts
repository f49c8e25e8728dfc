/**
 * The ACS's end for a portal test sign-in (lib/portal/test-sign-in.ts): instead of signing
 * anyone in, the outcome is recorded for the portal and the browser goes back to the Test
 * page, where the admin who started it is still signed in as themselves.
 */
import type { Response } from 'express';
import { emailInNominatedDomains } from '../../lib/sso/access-policy';
import type { SamlRejection } from '../../lib/saml/rejection';
import { recordTestResult, testRefused, testSucceeded } from '../../lib/portal/test-sign-in';
import type { SsoClaims } from '../../lib/sso/claims';
import type { ReadyTenant } from './acs';
import type { RefusalContext } from './refusal';

const resultPage = (tenantId: string, runId: string) => `/portal/${tenantId}/test?run=${runId}#result`;

/**
 * After the whole check chain passed. The nominated-domain rule is checked too (it is pure);
 * what needs the account (bound elsewhere, suspended) is only known at a real sign-in.
 * A refusal here throws, and the ACS's refusal handling reports it to the run.
 */
export async function finishTestSignIn(res: Response, tenant: ReadyTenant, claims: SsoClaims, runId: string): Promise<void> {
  emailInNominatedDomains(tenant, claims.email);
  await recordTestResult(tenant.tenantId, runId, testSucceeded(claims));
  res.redirect(303, resultPage(tenant.tenantId, runId));
}

export async function reportTestRefusal(res: Response, ctx: RefusalContext, runId: string, rejection: SamlRejection): Promise<void> {
  await recordTestResult(ctx.tenantId, runId, testRefused(rejection, ctx.claims));
  res.redirect(303, resultPage(ctx.tenantId, runId));
}
