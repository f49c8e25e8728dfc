import type { Client } from '@temporalio/client';
import { auditStreamWorkflowId, streamConfigChangedSignal, streamTaskQueue, type AuditStreamWorkflow } from '../contracts/audit-stream';
import { EntraTenantIdKey, EntradaStatusKey } from '../contracts/shared';

/**
 * Makes the tenancy's stream workflow notice its configuration: starts it if it is not
 * running (it then reads the configuration and ends at once if the stream is off), otherwise
 * signals it to reload and, if paused or waiting, to try again now.
 */
export async function syncStreamWorkflow(temporal: Client, baseQueue: string, tenantId: string): Promise<string> {
  const workflowId = auditStreamWorkflowId(tenantId);
  await temporal.workflow.signalWithStart<AuditStreamWorkflow, []>('auditStream', {
    workflowId,
    taskQueue: streamTaskQueue(baseQueue),
    args: [{ tenantId }],
    signal: streamConfigChangedSignal,
    signalArgs: [],
    typedSearchAttributes: [
      { key: EntraTenantIdKey, value: tenantId },
      { key: EntradaStatusKey, value: 'starting' },
    ],
  });
  return workflowId;
}
