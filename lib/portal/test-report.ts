/**
 * The portal's test report: the staff console's report (checklist, evidence, cited audit
 * events) plus the tenancy's recent test sign-ins with their outcomes, for download.
 */
import { testReport } from '../onboarding/tenants';
import type { OnboardingDeps } from '../onboarding/deps';
import { TenantModel } from '../models';
import { connectionKind } from './connect';
import { refusalHint } from './refusal-hints';
import { listTestRuns } from './test-sign-in';

export async function portalTestReport(deps: OnboardingDeps, tenantId: string) {
  const [report, runs, tenant] = await Promise.all([
    testReport(deps, tenantId),
    listTestRuns(tenantId, 50),
    TenantModel.findOne({ tenantId }, { connection: 1 }).lean(),
  ]);
  const kind = connectionKind(tenant);
  const hintFor = (reason: string) => refusalHint(reason, kind);
  return {
    ...report,
    connectionKind: kind,
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
