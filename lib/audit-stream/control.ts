import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  auditStreamWorkflowId,
  streamConfigChangedSignal,
  streamStatusQuery,
  streamTaskQueue,
  type AuditStreamWorkflow,
  type StreamStatus,
} from '../contracts/audit-stream';
import { EntraTenantIdKey, EntradaStatusKey } from '../contracts/shared';
import { AuditStreamModel } from '../models';

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

/** At worker start: every stream that is on has its workflow (one lost to a reset is started again). */
export async function ensureAuditStreams(temporal: Client, baseQueue: string): Promise<number> {
  const streams = await AuditStreamModel.find({ enabled: true }, { tenantId: 1 }).lean();
  for (const s of streams) await syncStreamWorkflow(temporal, baseQueue, s.tenantId);
  return streams.length;
}

/** The running stream's own account (state, reason, lag, backlog, totals), or undefined when none runs. */
export async function streamStatus(temporal: Client, tenantId: string): Promise<StreamStatus | undefined> {
  const handle = temporal.workflow.getHandle(auditStreamWorkflowId(tenantId));
  try {
    if ((await handle.describe()).status.name !== 'RUNNING') return undefined;
    return await handle.query(streamStatusQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** How long a page waits for the stream to answer its status query. */
const LIVE_STATUS_MS = 3_000;

/**
 * For the console page: the running stream's status, or `not-answering` when no worker answered
 * within a few seconds (a stream whose worker is down must not take its page with it; the stored
 * progress still shows). A failure at the deadline is the deadline's (gRPC reports it as
 * DEADLINE_EXCEEDED or CANCELLED).
 */
export async function liveStreamStatus(temporal: Client, tenantId: string): Promise<StreamStatus | 'not-answering' | undefined> {
  const deadline = Date.now() + LIVE_STATUS_MS;
  try {
    return await temporal.withDeadline(deadline, () => streamStatus(temporal, tenantId));
  } catch (err) {
    if (Date.now() >= deadline) return 'not-answering';
    throw err;
  }
}
