import type { AnyBulkWriteOperation } from 'mongoose';
import { claimOnce } from '../claims';
import { ClaimModel, SsoIdentityModel, UserModel } from '../models';
import { BULK_STATEMENTS } from '../models/user-list-keys';

const DONE = 'data-migration:user-last-sign-in';
const YEARS_10 = 10 * 365 * 24 * 60 * 60 * 1000;

/**
 * Data migration: users bound before they carried their identity's last sign-in
 * (`lastSignInAt`, see lib/sso/identity-binding.ts) get it, so the portal's user list reads no
 * identity per row. One pass over the active identities, then a claim marks it done: later
 * worker starts cost one look-up. Each write is conditional on the user not having the field,
 * so a binding meanwhile (which wrote its own time) is never overwritten. Returns how many users it set.
 */
export async function copyLastSignIns(): Promise<number> {
  if (await ClaimModel.exists({ key: DONE })) return 0;
  let copied = 0;
  let pending: AnyBulkWriteOperation[] = [];
  const flush = async () => {
    // Small bulk writes: a larger bulk update wedges FerretDB (see BULK_STATEMENTS).
    if (pending.length) copied += (await UserModel.collection.bulkWrite(pending as never, { ordered: false })).modifiedCount;
    pending = [];
  };
  const identities = SsoIdentityModel.find({ status: 'active' }, { userId: 1, lastLoginAt: 1 }).lean().cursor({ batchSize: 5_000 });
  for await (const identity of identities) {
    if (!identity.lastLoginAt) continue;
    pending.push({
      updateOne: { filter: { _id: identity.userId, lastSignInAt: { $exists: false } }, update: { $set: { lastSignInAt: identity.lastLoginAt } } },
    });
    if (pending.length >= BULK_STATEMENTS) await flush();
  }
  await flush();
  await claimOnce(DONE, YEARS_10);
  return copied;
}
