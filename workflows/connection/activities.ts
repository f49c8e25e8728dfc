/** The connection workflow's view of its activities. */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { NON_RETRYABLE } from '../../lib/contracts/failures';

/** Database writes, audit and email: retried until they succeed (idempotent by key). */
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
});

/**
 * A metadata refresh: a few attempts (the fetch waits at most 10 s each), then the failure is
 * the connection's visible status until a later refresh works.
 */
export const refreshActs = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '2s', maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
});
