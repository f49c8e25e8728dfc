import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { AppError, conflict, notFound } from '../errors';

const STATUS: Record<string, [number, string]> = {
  InvalidInput: [400, 'bad_request'],
  Conflict: [409, 'conflict'],
  MetadataInvalid: [422, 'metadata_invalid'],
  TenantMismatch: [422, 'tenant_mismatch'],
  NotFound: [404, 'not_found'],
  Unavailable: [503, 'unavailable'],
};

/**
 * Maps what a staff update to the onboarding workflow can fail with onto the web's AppError:
 * the validator's or handler's typed refusal keeps its message (and details such as the list of
 * missing test items); a missing or finished workflow says so.
 */
export function onboardingFailure(err: unknown, tenantId: string): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const [status, code] = STATUS[err.cause.type ?? ''] ?? [400, 'refused'];
    const details = err.cause.details?.[0];
    return new AppError(status, code, err.cause.message, details && typeof details === 'object' ? (details as Record<string, unknown>) : undefined);
  }
  if (err instanceof WorkflowNotFoundError) {
    // Temporal answers "not found" for a missing workflow and for one that already completed.
    return /already completed/i.test(err.message)
      ? conflict(`The onboarding for tenant ${tenantId} has ended; it accepts no more actions.`)
      : notFound(`No onboarding for tenant ${tenantId}.`);
  }
  return err;
}
