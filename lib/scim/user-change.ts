/**
 * PATCH and PUT of a user, and what they mean for the account. The new resource is computed
 * in full first (a bad operation changes nothing); then, in this order: the userName is
 * checked free, the account takes the new email and names (an email taken by another account
 * is a 409 with nothing changed), the record is written, and `active` suspends or restores.
 * An email change is an update of the same account, never a deletion: the account is bound
 * to the object ID, which cannot change.
 */
import { withLock } from '../claims';
import { ScimUserModel, UserModel } from '../models';
import { isControlled, syncAccountFields } from './accounts';
import { accountFields, type AccountFields } from './account-fields';
import type { Doc } from './attribute-paths';
import type { ScimContext } from './context';
import { restoreFromScim } from './deprovision';
import { mutability, scimNotFound, uniqueness } from './errors';
import { applyPatch, parsePatchRequest } from './patch';
import { resourceFromBody } from './resource';
import { USER_TYPE } from './schema';
import { restoreAccount, suspendAccount } from './suspension';
import { deletedUser, userNameKey, userRepresentation, type ScimUserRecord } from './user-records';
import { fromStored, toStored } from './storage-keys';

export interface UserChange {
  resource: Doc;
  active: boolean;
}

type Compute = (doc: ScimUserRecord) => UserChange;

export const patchUser = (ctx: ScimContext, id: string, body: unknown) => {
  const ops = parsePatchRequest(body);
  return changeUser(ctx, id, (doc) => {
    const patched = applyPatch(USER_TYPE, { ...fromStored(doc.resource), active: doc.active }, ops);
    return split(patched);
  });
};

export const replaceUser = (ctx: ScimContext, id: string, body: unknown) => {
  const resource = resourceFromBody(USER_TYPE, body);
  return changeUser(ctx, id, () => split(resource));
};

function split(resource: Doc): UserChange {
  const { active, ...rest } = resource;
  return { resource: rest, active: active !== false };
}

async function changeUser(ctx: ScimContext, id: string, compute: Compute): Promise<Doc> {
  return withLock(`scim-user:${id}`, async () => {
    const doc = (await ScimUserModel.findById(id).lean()) as ScimUserRecord | null;
    if (!doc || doc.tenantId !== ctx.tenantId || doc.purgedAt) throw scimNotFound(`No user ${id}.`);
    const change = compute(doc);
    if (doc.deletedAt) {
      // Out of order after a DELETE: only "active = true" means something, and it restores the user.
      const wasActive = compute({ ...doc, active: false }).active;
      if (!wasActive) throw deletedUser(doc);
      if ((await restoreFromScim(ctx.temporal, doc, 'SCIM set active to true during the quarantine')) === 'purged')
        throw scimNotFound(`User ${id} was purged.`);
      await ScimUserModel.updateOne({ _id: id }, { $unset: { deletedAt: 1 } });
    }
    return userRepresentation(ctx, await applyUserChange(ctx, { ...doc, deletedAt: undefined }, change));
  });
}

/** Applies a computed change (record and account). The caller holds the user's lock or just created it. */
export async function applyUserChange(ctx: ScimContext, doc: ScimUserRecord, change: UserChange): Promise<ScimUserRecord> {
  const { resource, active } = change;
  if (typeof resource.externalId === 'string') resource.externalId = resource.externalId.toLowerCase();
  if (resource.externalId !== doc.externalId)
    throw mutability(`externalId is the Entra object ID the account is bound to (${doc.externalId}); it cannot change`);
  const nameKey = userNameKey(ctx.tenantId, resource.userName as string);
  if (nameKey !== doc.userNameKey) {
    const holder = await ScimUserModel.findOne({ userNameKey: nameKey }, { _id: 1 }).lean();
    if (holder) throw uniqueness(`userName "${resource.userName as string}" is already taken by user ${holder._id}`);
  }
  const after = accountFields(resource, ctx.domains);
  const controlled = await isControlled(ctx.tenantId, doc.externalId, doc.userId);
  if (controlled) await syncAccountFields(ctx.tenantId, doc.externalId, doc.userId, await currentFields(doc.userId), after);

  const now = new Date();
  const suspendedAt = active ? undefined : (doc.suspendedAt ?? now);
  try {
    await ScimUserModel.updateOne(
      { _id: doc._id },
      {
        $set: { resource: toStored(resource), userNameKey: nameKey, active, ...(suspendedAt ? { suspendedAt } : {}) },
        ...(suspendedAt ? {} : { $unset: { suspendedAt: 1 } }),
        $inc: { version: 1 },
      },
    );
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw uniqueness(`userName "${resource.userName as string}" is already taken`);
    throw err;
  }
  if (controlled && active !== doc.active) {
    const cause = {
      tenantId: ctx.tenantId,
      actor: { kind: 'system' as const },
      reason: active ? 'scim-active' : 'scim-inactive',
      details: { scimId: doc._id, objectId: doc.externalId },
    };
    await (active ? restoreAccount(doc.userId, cause) : suspendAccount(doc.userId, cause));
  }
  return (await ScimUserModel.findById(doc._id).lean()) as ScimUserRecord;
}

/** The account's own email and names, which SCIM changes are compared against. */
export async function currentFields(userId: unknown): Promise<AccountFields> {
  const user = await UserModel.findById(userId, { email: 1, displayName: 1, givenName: 1, surname: 1 }).lean();
  return {
    email: user?.email ?? '',
    ...(user?.displayName ? { displayName: user.displayName } : {}),
    ...(user?.givenName ? { givenName: user.givenName } : {}),
    ...(user?.surname ? { surname: user.surname } : {}),
  };
}
