/**
 * POST /Users. The SCIM record is written first (its unique keys claim the object ID and the
 * userName for this tenancy), then the account is found or made; a refusal removes the
 * record again, so nothing is left behind. A create for an object whose user is in its
 * deprovisioning quarantine restores that user instead (Entra re-creating a deleted user).
 */
import { auditScim } from './audit';
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { ScimUserModel, UserModel } from '../models';
import { accountForScimUser, newUserId, syncAccountFields } from './accounts';
import { accountFields, objectIdOf } from './account-fields';
import type { Doc } from './attribute-paths';
import type { ScimContext } from './context';
import { restoreFromScim } from './deprovision';
import { ScimError, uniqueness } from './errors';
import { resourceFromBody } from './resource';
import { USER_TYPE } from './schema';
import { applyUserChange, currentFields } from './user-change';
import { suspendAccount } from './suspension';
import { identityKey, releasedKey, userByKey, userNameKey, userRepresentation, type ScimUserRecord } from './user-records';
import { toStored } from './storage-keys';

export async function createUser(ctx: ScimContext, body: unknown): Promise<{ status: 201; resource: Doc }> {
  const resource = resourceFromBody(USER_TYPE, body);
  const objectId = objectIdOf(resource);
  resource.externalId = objectId;
  const active = resource.active !== false;
  delete resource.active;
  const fields = accountFields(resource, ctx.domains);
  const record = { _id: randomUUID(), userId: newUserId() };
  let stored: ScimUserRecord | undefined;

  try {
    stored = (
      await ScimUserModel.create({
        ...record,
        tenantId: ctx.tenantId,
        identityKey: identityKey(ctx.tenantId, objectId),
        userNameKey: userNameKey(ctx.tenantId, resource.userName as string),
        externalId: objectId,
        resource: toStored(resource),
        link: 'provisioned',
        active,
      })
    ).toObject() as ScimUserRecord;
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    const existing = await userByKey('identityKey', identityKey(ctx.tenantId, objectId));
    if (existing?.deletedAt && !existing.purgedAt) return recreate(ctx, existing, resource, active, body);
    if (existing && existing.link === 'provisioned' && !(await UserModel.exists({ _id: existing.userId }))) {
      Object.assign(record, { _id: existing._id, userId: existing.userId }); // a create that died half-way: finish it
    } else if (existing) {
      throw uniqueness(`A user with externalId ${objectId} already exists: ${existing._id}`);
    } else {
      const named = await userByKey('userNameKey', userNameKey(ctx.tenantId, resource.userName as string));
      throw uniqueness(`userName "${resource.userName as string}" is already taken${named ? ` by user ${named._id}` : ''}`);
    }
  }

  try {
    const choice = await accountForScimUser(ctx.tenantId, objectId, resource.userName as string, fields, record.userId);
    // The common case (a new account, active) needs nothing more; anything else changes the record.
    const changed = choice.link !== 'provisioned' || !active || !stored;
    if (choice.link !== 'provisioned')
      await ScimUserModel.updateOne({ _id: record._id }, { $set: { userId: new Types.ObjectId(choice.userId), link: choice.link } });
    if (choice.link === 'adopted')
      await syncAccountFields(ctx.tenantId, objectId, choice.userId, await currentFields(choice.userId), fields);
    if (!active && choice.link !== 'migration') {
      await suspendAccount(choice.userId, {
        tenantId: ctx.tenantId,
        actor: { kind: 'system' },
        reason: 'scim-inactive',
        details: { scimId: record._id, objectId },
      });
      await ScimUserModel.updateOne({ _id: record._id }, { $set: { suspendedAt: new Date() } });
    }
    if (changed) stored = (await ScimUserModel.findById(record._id).lean()) as ScimUserRecord;
    await auditScim(
      ctx,
      'scim.user.created',
      { type: 'user', id: choice.userId },
      { scimId: record._id, objectId, email: fields.email, link: choice.link, active },
    );
    return { status: 201, resource: userRepresentation(ctx, stored!) };
  } catch (err) {
    if (err instanceof ScimError) await ScimUserModel.deleteOne({ _id: record._id, link: 'provisioned' });
    throw err;
  }
}

async function recreate(
  ctx: ScimContext,
  existing: ScimUserRecord,
  resource: Doc,
  active: boolean,
  body: unknown,
): Promise<{ status: 201; resource: Doc }> {
  const outcome = await restoreFromScim(ctx.temporal, existing, 'SCIM created the user again during its quarantine');
  if (outcome === 'purged') {
    // The saga purged it and is giving its keys up (or died before): free them, then provision afresh.
    await ScimUserModel.updateOne(
      { _id: existing._id },
      {
        $set: { purgedAt: existing.purgedAt ?? new Date(), identityKey: releasedKey(existing._id), userNameKey: releasedKey(existing._id) },
      },
    );
    return createUser(ctx, body);
  }
  await ScimUserModel.updateOne({ _id: existing._id }, { $unset: { deletedAt: 1 } });
  const doc = (await ScimUserModel.findById(existing._id).lean()) as ScimUserRecord;
  const changed = await applyUserChange(ctx, doc, { resource, active });
  return { status: 201, resource: userRepresentation(ctx, changed) };
}
