import {
  isGrpcDeadlineError,
  ServiceError,
  WorkflowFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';

export type Settled = { state: 'completed' } | { state: 'running' } | { state: 'failed'; message: string };

/**
 * Waits at most `ms` for `wait` (a workflow's result or an update's answer), by putting a gRPC
 * deadline on its long-poll: nothing keeps polling after the caller gave up (no dangling
 * promise).
 */
export async function settleWithin(client: Client, ms: number, wait: () => Promise<unknown>): Promise<Settled> {
  const deadline = Date.now() + ms;
  try {
    await client.withDeadline(deadline, wait);
    return { state: 'completed' };
  } catch (err) {
    if (err instanceof WorkflowFailedError) return { state: 'failed', message: err.cause?.message ?? err.message };
    if (isGrpcDeadlineError(err) || isGrpcDeadlineError((err as { cause?: unknown })?.cause)) return { state: 'running' };
    // An update's long-poll cut short by the deadline says so in its own error type.
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return { state: 'running' };
    // The expiring deadline does not always surface as DEADLINE_EXCEEDED: grpc-js can report
    // the long-poll it cut short as CANCELLED (seen under load). Past our deadline, that is
    // simply "not finished yet".
    if (err instanceof ServiceError && Date.now() >= deadline) return { state: 'running' };
    throw err;
  }
}
