import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { onboardingWorkflowId, testEvidenceSignal, type TestEvidence } from '../contracts/shared';

/**
 * Reports a real event (SSO provisioning, migration, account recreation, group-gate refusal,
 * replay rejection) as onboarding test evidence for the tenant.
 *
 * We signal without querying first: a query-then-signal would race with a stage change
 * anyway, so the workflow itself is the one judge. It records evidence only while the
 * tenant is in `testing` or `awaiting-go-live` and ignores it in every other stage. A tenant
 * with no onboarding workflow, or one whose workflow has completed (live, cancelled),
 * is not an error for the caller: the event simply is not test evidence.
 */
export async function reportTestEvidence(client: Client, tenantId: string, evidence: TestEvidence): Promise<void> {
  try {
    await client.workflow.getHandle(onboardingWorkflowId(tenantId)).signal(testEvidenceSignal, evidence);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return;
    throw err;
  }
}
