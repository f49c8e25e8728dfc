/** The onboarding workflow's view of its activities, with retry policies per kind of step. */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { FailureType, NON_RETRYABLE } from '../../lib/contracts/failures';

/** Database writes and emails: retried until they succeed (they are idempotent by key). */
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
});

/** Metadata imports: a staff member waits for the answer, so a few quick attempts only. */
export const importActs = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
});

/**
 * An update handler must fail with an ApplicationFailure (anything else would fail the
 * workflow task): turns an activity's failure into the refusal the staff member sees.
 */
export function refusal(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (cause instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      type: cause.type ?? 'Error',
      message: cause.message,
      nonRetryable: true,
      details: cause.details as unknown[],
    });
  }
  return ApplicationFailure.create({
    type: FailureType.Unavailable,
    message: cause?.message ?? (err as Error).message,
    nonRetryable: true,
  });
}
