import type { AnyBulkWriteOperation } from 'mongoose';
import { runDataMigrationOnce } from '../data-migration';
import { UserModel } from '../models';
import { listFieldsOf, nameKeysOf, recordListBuckets } from '../models/user-list-keys';
import { updateInSmallBulks } from '../bulk-writes';

const BATCH = 1_000;
type Keyed = {
  _id: unknown;
  email: string;
  tenantId?: string | null;
  displayName?: string | null;
  listKey?: string | null;
  emailDomain?: string | null;
  nameKeys?: string[] | null;
};

/** The keys a user should carry; its name's only when it has one. */
const keysOf = (u: Keyed) => ({ ...listFieldsOf(u.email), ...(u.displayName ? { nameKeys: nameKeysOf(u.displayName) } : {}) });
const sameKeys = (u: Keyed, want: ReturnType<typeof keysOf>) =>
  u.listKey === want.listKey && u.emailDomain === want.emailDomain && (u.nameKeys ?? []).join('\n') === (want.nameKeys ?? []).join('\n');

/**
 * Data migration: users stored before the list keys (lib/models/user-list-keys.ts: the portal's, the staff search's), or
 * with keys of an earlier rule, or written around the model (bulk loads), get them, and the
 * directory their buckets. One pass over the users (FerretDB evaluates `$exists` only after
 * reading every row, so batches selected by it read the collection once each): conditional
 * updates of only the users whose keys differ (an email or name changed meanwhile is left to
 * the write that changed it, which set its keys). Safe to repeat; the worker runs it once per key rule
 * (`indexUserListOnce`: the pass takes 46 s at 140k users), a bulk load runs it itself.
 * Returns how many users it keyed.
 */
export async function indexUserList(): Promise<number> {
  let keyed = 0;
  let batch: Keyed[] = [];
  const flush = async () => {
    await recordListBuckets(batch);
    const updates: AnyBulkWriteOperation[] = batch.map((u) => ({
      updateOne: { filter: { _id: u._id, email: u.email, displayName: u.displayName ?? null }, update: { $set: keysOf(u) } },
    }));
    keyed += await updateInSmallBulks(UserModel.collection, updates as never);
    batch = [];
  };
  const users = UserModel.find({}, { email: 1, tenantId: 1, displayName: 1, listKey: 1, emailDomain: 1, nameKeys: 1 })
    .lean<Keyed[]>()
    .cursor({ batchSize: 5_000 });
  for await (const u of users) {
    if (sameKeys(u, keysOf(u))) continue;
    batch.push(u);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return keyed;
}

/** At worker start: once per key rule (a new rule, a new version here). */
export const indexUserListOnce = () => runDataMigrationOnce('user-list-keys:3', indexUserList);
