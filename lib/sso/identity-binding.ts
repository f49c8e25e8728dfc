import type { Types } from 'mongoose';
import { conflict } from '../errors';
import { SsoIdentityModel, UserModel } from '../models';

export interface IdentityInput {
  objectId: string;
  nameId: string;
  email: string;
}

/**
 * Binds (tenant, object ID) to a user. Idempotent for the same user. A tombstone left by a
 * deleted account is re-pointed to the new, empty user: the deleted user can never be reached
 * through it again. An active binding to another user is never moved (a Conflict refusal).
 * Insert first, then one conditional update: single-document operations only.
 * Returns the user ID the tombstone pointed to, if one was re-pointed.
 *
 * The user carries the binding's time as its `lastSignInAt` (for the portal's list): written
 * here, unless the caller writes it itself (`onUser: 'written'`: provisioning creates the user
 * with it, a migration sets it as it completes), which saves a command.
 */
export async function bindIdentity(
  tenantId: string,
  identity: IdentityInput,
  userId: Types.ObjectId | string,
  opts: { at?: Date; onUser?: 'written' } = {},
): Promise<{ replacedUserId?: string }> {
  const at = opts.at ?? new Date();
  const bound = await bindOnly(tenantId, identity, userId, at);
  if (opts.onUser !== 'written') await UserModel.updateOne({ _id: userId }, { $set: { lastSignInAt: at } });
  return bound;
}

async function bindOnly(
  tenantId: string,
  identity: IdentityInput,
  userId: Types.ObjectId | string,
  at: Date,
): Promise<{ replacedUserId?: string }> {
  const fields = { nameId: identity.nameId, email: identity.email, lastLoginAt: at };
  try {
    await SsoIdentityModel.create({ tenantId, objectId: identity.objectId, userId, status: 'active', ...fields });
    return {};
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  const before = await SsoIdentityModel.findOneAndUpdate(
    { tenantId, objectId: identity.objectId, $or: [{ userId }, { status: 'deleted' }] },
    { $set: { userId, status: 'active', ...fields }, $unset: { deletedAt: 1 } },
    { returnDocument: 'before' },
  ).lean();
  if (!before) {
    const existing = await SsoIdentityModel.findOne({ tenantId, objectId: identity.objectId }).lean();
    throw conflict(`Entra identity ${tenantId}/${identity.objectId} is already bound to user ${String(existing?.userId)}`);
  }
  return String(before.userId) === String(userId) ? {} : { replacedUserId: String(before.userId) };
}
