import mongoose from 'mongoose';
import { CrossedReplyError } from './models/echo-guard';

const {
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoUnexpectedServerResponseError,
  MongoClientClosedError,
  MongoServerClosedError,
  MongoOperationTimeoutError,
} = mongoose.mongo;

/**
 * Database failures that say nothing about the request: the database was unreachable, a
 * primary was being elected, a connection broke, or a reply did not belong to the command.
 * The same request may well succeed a moment later; the web tier answers 503 "try again",
 * never 500, and reads are retried first (lib/read-retry.ts).
 */
export function isTransientDbError(err: unknown): boolean {
  return (
    err instanceof MongoNetworkError || // includes timeouts
    err instanceof MongoServerSelectionError ||
    err instanceof MongoNotConnectedError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoUnexpectedServerResponseError ||
    err instanceof MongoClientClosedError ||
    err instanceof MongoServerClosedError ||
    err instanceof MongoOperationTimeoutError ||
    err instanceof CrossedReplyError ||
    (err instanceof MongoError &&
      (err.hasErrorLabel('RetryableWriteError') || err.hasErrorLabel('ResetPool') || err.hasErrorLabel('SystemOverloadedError')))
  );
}
