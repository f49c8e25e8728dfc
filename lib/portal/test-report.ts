/**
 * The portal's test report: the staff console's report (checklist, evidence, cited audit
 * events) plus the tenancy's recent test sign-ins with their outcomes, for download.
 */
import { testReport } from '../onboarding/tenants';
import type { OnboardingDeps } from '../onboarding/deps';
import { REFUSAL_HINTS } from './refusal-hints';
import { listTestRuns } from './test-sign-in';
import type { RejectionReason } from '../saml/rejection';

export const hintFor = (reason: string | null | undefined): string | undefined =>
  reason && Object.hasOwn(REFUSAL_HINTS, reason) ? REFUSAL_HINTS[reason as RejectionReason] : undefined;

export async function portalTestReport(deps: OnboardingDeps, tenantId: string) {
  const [report, runs] = await Promise.all([testReport(deps, tenantId), listTestRuns(tenantId, 50)]);
  return {
    ...report,
    testSignIns: runs.map((r) => ({
      id: r.id,
      startedAt: r.startedAt.toISOString(),
      startedBy: r.startedBy.email,
      outcome: r.result?.outcome ?? 'no answer',
      ...(r.result?.reason ? { reason: r.result.reason, message: r.result.message, hint: hintFor(r.result.reason) } : {}),
      ...(r.result?.email ? { email: r.result.email } : {}),
      ...(r.result?.reference ? { reference: r.result.reference } : {}),
    })),
  };
}
export type PortalTestReport = Awaited<ReturnType<typeof portalTestReport>>;
