/**
 * The kinds of refusal, and so the `type` of every ApplicationFailure an activity or workflow
 * throws on purpose (see refusal.ts). Retry policies list the non-retryable ones by these
 * names. Pure: workflow code imports it.
 */
export const FailureType = {
  /** Input that will never become valid by retrying (bad tenant ID, bad form field...). */
  InvalidInput: 'InvalidInput',
  Unauthenticated: 'Unauthenticated',
  Forbidden: 'Forbidden',
  NotFound: 'NotFound',
  /** The thing is in a state where this step cannot run (e.g. deleting a deleted user). */
  Conflict: 'Conflict',
  TooLarge: 'TooLarge',
  UnsupportedMedia: 'UnsupportedMedia',
  MetadataInvalid: 'MetadataInvalid',
  TenantMismatch: 'TenantMismatch',
  RateLimited: 'RateLimited',
  /** A service we depend on did not answer: the same request may work later. */
  Unavailable: 'Unavailable',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

export const isFailureType = (value: unknown): value is FailureType => typeof value === 'string' && Object.hasOwn(FailureType, value);

/** Every refusal but Unavailable: retrying cannot change the answer. */
export const NON_RETRYABLE: FailureType[] = Object.values(FailureType).filter((t) => t !== FailureType.Unavailable);
