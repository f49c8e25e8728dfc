/**
 * The tenancy's reconciliation Schedule (`scim-reconcile-<tid>`, every SCIM_RECONCILE_INTERVAL,
 * overlap SKIP), created with its first SCIM secret; and "reconcile now" for the console.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  WorkflowIdConflictPolicy,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';
import type { Config } from '../config';
import { reconcileScheduleId, reconcileWorkflowId, type ReconcileSummary } from '../contracts/deprovisioning';

type ScheduleConfig = Pick<Config, 'SCIM_RECONCILE_INTERVAL' | 'TEMPORAL_TASK_QUEUE'>;

export async function ensureReconcileSchedule(client: Client, config: ScheduleConfig, tenantId: string): Promise<void> {
  const options: ScheduleOptions = {
    scheduleId: reconcileScheduleId(tenantId),
    spec: { intervals: [{ every: config.SCIM_RECONCILE_INTERVAL }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'reconcileProvisioning',
      workflowId: reconcileWorkflowId(tenantId),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ tenantId }],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
    memo: {
      description: `SCIM reconciliation report for tenancy ${tenantId} (reports only; see workflows/provisioning-reconciliation.ts)`,
    },
  };
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({ ...previous, spec: options.spec, action: options.action }));
  }
}

export async function reconcileNow(client: Client, config: ScheduleConfig, tenantId: string): Promise<ReconcileSummary> {
  const handle = await client.workflow.start('reconcileProvisioning', {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId: `${reconcileWorkflowId(tenantId)}-now`,
    args: [{ tenantId }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
  return (await handle.result()) as ReconcileSummary;
}
