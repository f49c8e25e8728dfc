/**
 * Go-live starts the tenancy's connection workflow as a child that outlives the onboarding
 * (ParentClosePolicy ABANDON). Idempotent: a connection that already runs is left as it is.
 */
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { connectionWorkflowId, ConnectionHealthKey, type SsoConnectionWorkflow } from '../../lib/contracts/connection';
import { EntraTenantIdKey } from '../../lib/contracts/shared';

export async function startConnection(tenantId: string): Promise<void> {
  try {
    await startChild<SsoConnectionWorkflow>('ssoConnection', {
      workflowId: connectionWorkflowId(tenantId),
      args: [{ tenantId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [
        { key: EntraTenantIdKey, value: tenantId },
        { key: ConnectionHealthKey, value: 'healthy' },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
