/**
 * The `type` of every ApplicationFailure an activity or workflow throws on purpose. Retry
 * policies list the non-retryable ones by these names. Pure: workflow code imports it.
 */
export const FailureType = {
  /** Input that will never become valid by retrying (bad tenant ID, bad metadata...). */
  InvalidInput: 'InvalidInput',
  NotFound: 'NotFound',
  /** The thing is in a state where this step cannot run (e.g. deleting a deleted user). */
  Conflict: 'Conflict',
  MetadataInvalid: 'MetadataInvalid',
  TenantMismatch: 'TenantMismatch',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

export const NON_RETRYABLE: FailureType[] = [
  FailureType.InvalidInput,
  FailureType.NotFound,
  FailureType.Conflict,
  FailureType.MetadataInvalid,
  FailureType.TenantMismatch,
];
