import './echo-guard';
import { Schema, model, Types, type InferSchemaType } from 'mongoose';

/**
 * What a tenancy's SCIM client (Entra provisioning) told us, one document per resource.
 * `_id` is the SCIM id we assigned. Uniqueness is a unique index on keys that embed the
 * tenant, so a tenancy can never collide with (or find) another's resources; a purged user
 * gives its keys up (`purged:<id>`), so the same Entra object can be provisioned afresh.
 */
const scimUserSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    /** `<tenantId>|<externalId>`: the Entra object ID, which the identity is bound to. */
    identityKey: { type: String, required: true, unique: true },
    /** `<tenantId>|<lower-case userName>`. */
    userNameKey: { type: String, required: true, unique: true },
    externalId: { type: String, required: true },
    /** The canonical SCIM resource (lib/scim/resource.ts), without id and meta. */
    resource: { type: Schema.Types.Mixed, required: true },
    /** The Entrada account: provisioned by SCIM, adopted (already bound), or a standard account linked for migration. */
    userId: { type: Types.ObjectId, ref: 'User', required: true, index: true },
    link: { type: String, enum: ['provisioned', 'adopted', 'migration'], required: true },
    active: { type: Boolean, required: true, default: true },
    suspendedAt: Date,
    /** SCIM DELETE received: the account is in its deprovisioning saga (restorable until the purge). */
    deletedAt: Date,
    purgedAt: Date,
    /** Blocks the purge of this user, whatever SCIM says (shown in the console). */
    legalHold: { reason: String, by: String, at: Date },
    version: { type: Number, required: true, default: 1 },
  },
  { timestamps: true },
);
scimUserSchema.index({ tenantId: 1, deletedAt: 1 });

const scimGroupSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true, index: true },
    /** `<tenantId>|<externalId>` (the Entra group object ID), or `none:<id>` without one. */
    externalKey: { type: String, required: true, unique: true },
    externalId: String,
    /** `<tenantId>|<lower-case displayName>`: Entra looks groups up by display name. */
    displayNameKey: { type: String, required: true, index: true },
    /** The canonical resource without `members` (those are ScimMember rows). */
    resource: { type: Schema.Types.Mixed, required: true },
    version: { type: Number, required: true, default: 1 },
  },
  { timestamps: true },
);

/** One row per (group, member): adding is an idempotent unique insert, removing one delete. */
const scimMemberSchema = new Schema(
  {
    _id: { type: String, required: true }, // `<groupId>|<userScimId>`
    tenantId: { type: String, required: true },
    groupId: { type: String, required: true, index: true },
    userScimId: { type: String, required: true, index: true },
  },
  { timestamps: true },
);

export type ScimUser = InferSchemaType<typeof scimUserSchema>;
export type ScimGroup = InferSchemaType<typeof scimGroupSchema>;
export const ScimUserModel = model('ScimUser', scimUserSchema);
export const ScimGroupModel = model('ScimGroup', scimGroupSchema);
export const ScimMemberModel = model('ScimMember', scimMemberSchema);
