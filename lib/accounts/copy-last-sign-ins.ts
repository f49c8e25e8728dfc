import type { AnyBulkWriteOperation } from 'mongoose';
import { runDataMigrationOnce } from '../data-migration';
import { SsoIdentityModel, UserModel } from '../models';
import { BULK_STATEMENTS, updateInSmallBulks } from '../bulk-writes';

/**
 * Data migration: users bound before they carried their identity's last sign-in
 * (`lastSignInAt`, see lib/sso/identity-binding.ts) get it, so the portal's user list reads no
 * identity per row. One pass over the active identities, once (runDataMigrationOnce). Each write
 * is conditional on the user not having the field, so a binding meanwhile (which wrote its own
 * time) is never overwritten. Returns how many users it set.
 */
export const copyLastSignIns = () => runDataMigrationOnce('user-last-sign-in', copyAll);

async function copyAll(): Promise<number> {
  let copied = 0;
  let pending: AnyBulkWriteOperation[] = [];
  const flush = async () => {
    copied += await updateInSmallBulks(UserModel.collection, pending as never);
    pending = [];
  };
  const identities = SsoIdentityModel.find({ status: 'active' }, { userId: 1, lastLoginAt: 1 }).lean().cursor({ batchSize: 5_000 });
  for await (const identity of identities) {
    if (!identity.lastLoginAt) continue;
    pending.push({
      updateOne: {
        filter: { _id: identity.userId, lastSignInAt: { $exists: false } },
        update: { $set: { lastSignInAt: identity.lastLoginAt } },
      },
    });
    if (pending.length >= BULK_STATEMENTS) await flush();
  }
  await flush();
  return copied;
}
