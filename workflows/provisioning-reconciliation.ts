import { proxyActivities, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ReconcileInput, ReconcileSummary } from '../lib/contracts/deprovisioning';
import { NON_RETRYABLE } from '../lib/contracts/failures';
import { EntraTenantIdKey, EntradaStatusKey } from '../lib/contracts/shared';

/**
 * Started by the tenancy's reconciliation Schedule (overlap SKIP): one report of SSO accounts
 * SCIM never mentioned and users disabled or deleted past the window. Reports only.
 */
export async function reconcileProvisioning(input: ReconcileInput): Promise<ReconcileSummary> {
  status(input, 'reconciling', 'comparing SSO accounts with what SCIM told us');
  const summary = await acts.reconcileTenancy({ tenantId: input.tenantId, workflowId: workflowInfo().workflowId });
  status(
    input,
    'reconciled',
    `${summary.neverMentioned} account(s) SCIM never mentioned, ${summary.overdueSuspended} disabled or deleted past the window (report only)`,
  );
  return summary;
}

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '5m',
  retry: { initialInterval: '5s', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
});

function status(input: ReconcileInput, value: 'reconciling' | 'reconciled', details: string): void {
  upsertSearchAttributes([
    { key: EntraTenantIdKey, value: input.tenantId },
    { key: EntradaStatusKey, value },
  ]);
  setCurrentDetails(`**Provisioning reconciliation** for \`${input.tenantId}\` — ${details}`);
}
