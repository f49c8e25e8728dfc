import { isGrpcDeadlineError, ServiceError, WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';

export type Settled = { state: 'completed' } | { state: 'running' } | { state: 'failed'; message: string };

/**
 * Waits at most `ms` for a workflow to close, by putting a gRPC deadline on the result
 * long-poll: nothing keeps polling after the caller gave up (no dangling promise).
 */
export async function settleWithin(client: Client, handle: WorkflowHandle, ms: number): Promise<Settled> {
  const deadline = Date.now() + ms;
  try {
    await client.withDeadline(deadline, () => handle.result());
    return { state: 'completed' };
  } catch (err) {
    if (err instanceof WorkflowFailedError) return { state: 'failed', message: err.cause?.message ?? err.message };
    if (isGrpcDeadlineError(err) || isGrpcDeadlineError((err as { cause?: unknown })?.cause)) return { state: 'running' };
    // The expiring deadline does not always surface as DEADLINE_EXCEEDED: grpc-js can report
    // the long-poll it cut short as CANCELLED (seen under load). Past our deadline, that is
    // simply "not finished yet".
    if (err instanceof ServiceError && Date.now() >= deadline) return { state: 'running' };
    throw err;
  }
}
