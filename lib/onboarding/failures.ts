import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { fromFailure } from '../contracts/refusal';
import { conflict, notFound } from '../errors';

/**
 * Maps what a staff update to the onboarding workflow can fail with onto a Refusal: the
 * validator's or handler's typed refusal keeps its kind, message and details (such as the list
 * of missing test items); a missing or finished workflow says which it is.
 */
export async function onboardingFailure(err: unknown, handle: WorkflowHandle, tenantId: string): Promise<unknown> {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return fromFailure(err.cause);
  if (!(err instanceof WorkflowNotFoundError)) return err;
  // Temporal answers an update with NOT_FOUND both when there is no workflow and when it has
  // completed; describe() tells them apart (it finds a completed run).
  const exists = await handle.describe().then(
    () => true,
    (describeErr: unknown) => (describeErr instanceof WorkflowNotFoundError ? false : Promise.reject(describeErr)),
  );
  return exists
    ? conflict(`The onboarding for tenant ${tenantId} has ended; it accepts no more actions.`)
    : notFound(`No onboarding for tenant ${tenantId}.`);
}
