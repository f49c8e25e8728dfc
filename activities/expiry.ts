import { Context } from '@temporalio/activity';
import mongoose from 'mongoose';
import type { SweptCollection } from '../lib/contracts/expiry';
import { EXPIRING } from '../lib/expiry';

/** Rows deleted per command; each is its own indexed statement (see purge-files.ts). */
const BATCH = 500;

/**
 * Deletes one collection's expired rows (lib/expiry.ts), in batches of BATCH, heartbeating the
 * count so the Temporal UI shows progress and a retry carries on. The expired rows are read
 * through one cursor (on FerretDB v1 a range filter is not pushed down, so this is a single
 * pass over the collection); each delete checks the expiry again, so a row extended meanwhile
 * (a session still in use) stays.
 */
export function createExpiryActivities() {
  return {
    async sweepExpired(collection: string): Promise<SweptCollection> {
      const ctx = Context.current();
      const spec = EXPIRING.find((e) => e.collection === collection);
      if (!spec) throw new Error(`${collection} is not an expiring collection`);
      const now = new Date();
      const coll = mongoose.connection.db!.collection(collection);
      const expired = { [spec.field]: { $lt: now } };
      let deleted = (ctx.info.heartbeatDetails as SweptCollection | undefined)?.deleted ?? 0;
      let batch: unknown[] = [];
      const flush = async () => {
        if (!batch.length) return;
        const res = await coll.bulkWrite(batch.map((_id) => ({ deleteOne: { filter: { _id, ...expired } } })) as never, { ordered: false });
        deleted += res.deletedCount;
        batch = [];
        ctx.heartbeat({ collection, deleted });
      };
      const cursor = coll.find(expired, { projection: { _id: 1 }, batchSize: BATCH });
      try {
        for await (const row of cursor) {
          if (ctx.cancellationSignal.aborted) break;
          batch.push(row._id);
          if (batch.length >= BATCH) await flush();
        }
        await flush();
      } finally {
        await cursor.close();
      }
      return { collection, deleted };
    },
  };
}
