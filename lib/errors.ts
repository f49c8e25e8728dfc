/**
 * Named refusals for use cases and routes (the class and its conversion to and from Temporal
 * failures are in lib/contracts/refusal.ts, which workflows share).
 */
import { FailureType } from './contracts/failures';
import { Refusal, type RefusalOptions } from './contracts/refusal';

type Details = Record<string, unknown>;

export const badRequest = (message: string, details?: Details) => new Refusal(FailureType.InvalidInput, message, { details });
export const unauthorized = (message = 'Sign in first.') => new Refusal(FailureType.Unauthenticated, message);
export const forbidden = (message = 'You are not allowed to do that.', opts?: RefusalOptions) =>
  new Refusal(FailureType.Forbidden, message, opts);
/** Also used for "exists but you may not see it": never leak existence. */
export const notFound = (what = 'Not found.', opts?: RefusalOptions) => new Refusal(FailureType.NotFound, what, opts);
export const conflict = (message: string, details?: Details) => new Refusal(FailureType.Conflict, message, { details });
export const payloadTooLarge = (message: string) => new Refusal(FailureType.TooLarge, message);
export const tooManyRequests = (message = 'Too many attempts. Try again later.') => new Refusal(FailureType.RateLimited, message);
export const unavailable = (message = 'A service we depend on is not answering. Try again in a moment.', opts?: RefusalOptions) =>
  new Refusal(FailureType.Unavailable, message, opts);
