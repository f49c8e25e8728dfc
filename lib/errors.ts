/**
 * `AppError`: a refusal the web tier maps to an HTTP status in its one error middleware.
 * Failure type names for activities and workflows are in lib/contracts/failures.ts.
 */

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError(400, 'bad_request', message, details);
export const unauthorized = (message = 'Sign in first.') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'You are not allowed to do that.') => new AppError(403, 'forbidden', message);
/** Also used for "exists but you may not see it": never leak existence. */
export const notFound = (what = 'Not found.') => new AppError(404, 'not_found', what);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new AppError(409, 'conflict', message, details);
export const payloadTooLarge = (message: string) => new AppError(413, 'payload_too_large', message);
export const tooManyRequests = (message = 'Too many attempts. Try again later.') =>
  new AppError(429, 'too_many_requests', message);
