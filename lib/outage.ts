import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import { isTransientDbError } from './transient-errors';

/** gRPC codes for "Temporal did not answer in time or is overloaded". */
const GRPC_UNAVAILABLE = new Set([4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */]);

/**
 * Whether an error means that the database or Temporal is (for now) unavailable, rather than
 * that our code or the request is wrong: the answer is then 503 "try again", not 500.
 */
export function isOutage(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (isTransientDbError(err)) return true;
  // mongoose queues commands while disconnected and fails them after a while; it has no class for that.
  if (err.name === 'MongooseServerSelectionError' || (err.name === 'MongooseError' && /buffering timed out/.test(err.message))) return true;
  if (isGrpcServiceError(err) && GRPC_UNAVAILABLE.has(err.code)) return true;
  if (err instanceof ServiceError) return isOutage(err.cause);
  return false;
}
