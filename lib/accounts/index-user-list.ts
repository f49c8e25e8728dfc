import type { AnyBulkWriteOperation } from 'mongoose';
import { UserModel } from '../models';
import { BULK_STATEMENTS, listFieldsOf, recordListBuckets } from '../models/user-list-keys';

const BATCH = 1_000;

/**
 * Data migration: users stored before the portal's list keys (lib/models/user-list-keys.ts), or
 * written around the model (bulk loads), get them, and the directory their buckets. Safe to
 * run at every worker start: conditional updates of only those rows (an email changed meanwhile
 * is left to the write that changed it, which set its keys), a no-op once they are done.
 * Returns how many users it keyed.
 */
export async function indexUserList(): Promise<number> {
  let keyed = 0;
  for (;;) {
    // A batch at a time, each read in one reply and written in small bulk commands (see BULK_STATEMENTS).
    const batch = await UserModel.find({ listKey: { $exists: false } }, { email: 1, tenantId: 1 })
      .limit(BATCH)
      .batchSize(BATCH)
      .lean();
    if (!batch.length) return keyed;
    await recordListBuckets(batch);
    const updates: AnyBulkWriteOperation[] = batch.map((u) => ({
      updateOne: { filter: { _id: u._id, email: u.email, listKey: { $exists: false } }, update: { $set: listFieldsOf(u.email) } },
    }));
    for (let i = 0; i < updates.length; i += BULK_STATEMENTS)
      keyed += (await UserModel.collection.bulkWrite(updates.slice(i, i + BULK_STATEMENTS) as never, { ordered: false })).modifiedCount;
  }
}
