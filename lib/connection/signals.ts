/**
 * What the sign-in path tells a tenancy's connection workflow. Signal-with-start: a live
 * tenancy whose connection is not running (ended by hand, or live before connections existed
 * and no worker has started since) gets one, so no report is lost.
 */
import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { Config } from '../config';
import { connectionWorkflowId, ConnectionHealthKey, type SsoConnectionWorkflow } from '../contracts/connection';
import { EntraTenantIdKey } from '../contracts/shared';

export async function tellConnection<T>(
  temporal: Client,
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>,
  tenantId: string,
  signal: SignalDefinition<[T]>,
  arg: T,
): Promise<void> {
  await temporal.workflow.signalWithStart<SsoConnectionWorkflow, [T]>('ssoConnection', {
    workflowId: connectionWorkflowId(tenantId),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [{ tenantId }],
    signal,
    signalArgs: [arg],
    typedSearchAttributes: [
      { key: EntraTenantIdKey, value: tenantId },
      { key: ConnectionHealthKey, value: 'healthy' },
    ],
  });
}
