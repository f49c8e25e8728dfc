/**
 * Every live tenancy has its connection workflow: started at worker start for tenancies that
 * went live before it existed (or whose connection was ended by hand). Starting one that runs
 * already attaches to it (USE_EXISTING), so every worker process may do this at once.
 */
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../config';
import { TenantModel } from '../models';
import { connectionWorkflowId, ConnectionHealthKey, type SsoConnectionWorkflow } from '../contracts/connection';
import { EntraTenantIdKey } from '../contracts/shared';

export async function ensureConnection(temporal: Client, config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>, tenantId: string): Promise<void> {
  await temporal.workflow.start<SsoConnectionWorkflow>('ssoConnection', {
    workflowId: connectionWorkflowId(tenantId),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [{ tenantId }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [
      { key: EntraTenantIdKey, value: tenantId },
      { key: ConnectionHealthKey, value: 'healthy' },
    ],
  });
}

/** Returns how many live tenancies were checked. */
export async function ensureLiveConnections(temporal: Client, config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>): Promise<number> {
  const live = await TenantModel.find({ stage: 'live' }, { tenantId: 1 }).lean();
  for (const { tenantId } of live) await ensureConnection(temporal, config, tenantId);
  return live.length;
}
