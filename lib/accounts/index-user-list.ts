import type { AnyBulkWriteOperation } from 'mongoose';
import { runDataMigrationOnce } from '../data-migration';
import { UserModel } from '../models';
import { listFieldsOf, recordListBuckets } from '../models/user-list-keys';
import { updateInSmallBulks } from '../bulk-writes';

const BATCH = 1_000;
type Keyed = { _id: unknown; email: string; tenantId?: string | null; listKey?: string | null; emailDomain?: string | null };

/**
 * Data migration: users stored before the portal's list keys (lib/models/user-list-keys.ts), or
 * with keys of an earlier rule, or written around the model (bulk loads), get them, and the
 * directory their buckets. One pass over the users (FerretDB evaluates `$exists` only after
 * reading every row, so batches selected by it read the collection once each): conditional
 * updates of only the users whose keys differ (an email changed meanwhile is left to the write
 * that changed it, which set its keys). Safe to repeat; the worker runs it once per key rule
 * (`indexUserListOnce`: the pass takes 46 s at 140k users), a bulk load runs it itself.
 * Returns how many users it keyed.
 */
export async function indexUserList(): Promise<number> {
  let keyed = 0;
  let batch: Keyed[] = [];
  const flush = async () => {
    await recordListBuckets(batch);
    const updates: AnyBulkWriteOperation[] = batch.map((u) => ({
      updateOne: { filter: { _id: u._id, email: u.email }, update: { $set: listFieldsOf(u.email) } },
    }));
    keyed += await updateInSmallBulks(UserModel.collection, updates as never);
    batch = [];
  };
  const users = UserModel.find({}, { email: 1, tenantId: 1, listKey: 1, emailDomain: 1 }).lean<Keyed[]>().cursor({ batchSize: 5_000 });
  for await (const u of users) {
    const want = listFieldsOf(u.email);
    if (u.listKey === want.listKey && u.emailDomain === want.emailDomain) continue;
    batch.push(u);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return keyed;
}

/** At worker start: once per key rule (a new rule, a new version here). */
export const indexUserListOnce = () => runDataMigrationOnce('user-list-keys:2', indexUserList);
