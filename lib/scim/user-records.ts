/**
 * Reading SCIM user records: keys, look-ups scoped to the tenancy, and the SCIM representation.
 * Every look-up names the tenant, so another tenancy's users are "not found", never visible.
 */
import { ScimUserModel, type ScimUser } from '../models';
import type { Doc } from './attribute-paths';
import type { ScimContext } from './context';
import { scimNotFound } from './errors';
import { representation } from './resource';
import { USER_TYPE } from './schema';
import { fromStored } from './storage-keys';

export const identityKey = (tenantId: string, objectId: string) => `${tenantId}|${objectId.toLowerCase()}`;
export const userNameKey = (tenantId: string, userName: string) => `${tenantId}|${userName.trim().toLowerCase()}`;
/** What a purged record holds instead, so the tenancy can provision the same object and name afresh. */
export const releasedKey = (scimId: string) => `purged:${scimId}`;

export type ScimUserRecord = ScimUser & { _id: string; createdAt: Date; updatedAt: Date };

/** A live (not deleted, not purged) user of this tenancy. */
export async function liveUser(ctx: Pick<ScimContext, 'tenantId'>, id: string): Promise<ScimUserRecord> {
  const doc = (await ScimUserModel.findById(id).lean()) as ScimUserRecord | null;
  if (!doc || doc.tenantId !== ctx.tenantId || doc.purgedAt) throw scimNotFound(`No user ${id}.`);
  if (doc.deletedAt) throw deletedUser(doc);
  return doc;
}

/** A deleted user answers 404 like RFC 7644 asks, saying what happened and how to undo it. */
export function deletedUser(doc: ScimUserRecord): Error {
  return scimNotFound(
    `User ${doc._id} was deleted on ${doc.deletedAt!.toISOString()} and is in its quarantine before the purge: create it again, or set active to true, to restore it.`,
  );
}

export async function userByKey(field: 'identityKey' | 'userNameKey', key: string): Promise<ScimUserRecord | null> {
  return (await ScimUserModel.findOne({ [field]: key }).lean()) as ScimUserRecord | null;
}

export function userRepresentation(ctx: Pick<ScimContext, 'base'>, doc: ScimUserRecord): Doc {
  return representation(
    USER_TYPE,
    { ...fromStored(doc.resource), active: doc.active },
    {
      id: doc._id,
      created: doc.createdAt,
      lastModified: doc.updatedAt,
      version: doc.version,
      location: `${ctx.base}/Users/${doc._id}`,
    },
  );
}
