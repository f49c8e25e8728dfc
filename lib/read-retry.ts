import mongoose, { type Query } from 'mongoose';
import { isTransientDbError } from './transient-errors';

/** Query operations that only read: running one again changes nothing. */
const READS = new Set(['find', 'findOne', 'countDocuments', 'estimatedDocumentCount', 'distinct']);
const ATTEMPTS = 3;
const installed = Symbol('read retry installed');

type AnyQuery = Query<unknown, unknown> & { op?: string; _transforms: unknown[]; [installed]?: true };

/**
 * Every read query (mongoose's `exec`, which `await` calls) is tried up to 3 times on a
 * transient database error (lib/transient-errors.ts), 50 then 100 ms apart, each time as a
 * fresh copy of the query (a query runs once). A server-selection timeout is not retried: it
 * already waited the whole selection window (10 s) for a database, and trying twice more kept a
 * sign-in waiting 30 s for its 503 when the database was down. Writes are not retried here: a write whose
 * reply was lost may have happened, so its error reaches the error middleware (503).
 */
export function retryTransientReads(): void {
  const proto = mongoose.Query.prototype as unknown as AnyQuery & { exec: (op?: string) => Promise<unknown> };
  if (proto[installed]) return;
  proto[installed] = true;
  const exec = proto.exec;
  proto.exec = async function retried(this: AnyQuery, op?: string) {
    if (!READS.has(op ?? this.op ?? '')) return exec.call(this, op);
    // A retry needs a fresh copy of the query (a mongoose query executes once); the first try is this one.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    for (let attempt = 1, query = this; ; attempt++) {
      try {
        return await exec.call(query, op);
      } catch (err) {
        if (attempt >= ATTEMPTS || !isTransientDbError(err) || err instanceof mongoose.mongo.MongoServerSelectionError) throw err;
        console.warn(
          `db: ${this.model.collection.collectionName}.${query.op} failed (${(err as Error).name}), retrying (attempt ${attempt + 1} of ${ATTEMPTS})`,
        );
        await new Promise((r) => setTimeout(r, 50 * attempt));
        const copy = query.clone() as AnyQuery;
        copy._transforms = [...query._transforms]; // `clone` leaves out transforms (orFail, ...)
        query = copy;
      }
    }
  };
}
