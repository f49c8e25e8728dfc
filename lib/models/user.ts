import './echo-guard';
import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { maintainListKeys } from './user-list-middleware';

export const USER_KINDS = ['standard', 'sso'] as const;
/** `suspended`: disabled by the tenancy's directory (SCIM); sign-in refused, data kept, restorable. */
export const USER_STATUSES = ['active', 'migrating', 'suspended', 'deleting', 'deleted'] as const;
export type UserKind = (typeof USER_KINDS)[number];
export type UserStatus = (typeof USER_STATUSES)[number];

const userSchema = new Schema(
  {
    /** Lower-cased. A tombstoned user gets `deleted-<id>@tombstone.invalid` so the email is free again. */
    email: { type: String, required: true, unique: true, lowercase: true, trim: true, maxlength: 254 },
    kind: { type: String, enum: USER_KINDS, required: true, default: 'standard' },
    status: { type: String, enum: USER_STATUSES, required: true, default: 'active' },
    displayName: { type: String, trim: true, maxlength: 200 },
    givenName: { type: String, trim: true, maxlength: 100 },
    surname: { type: String, trim: true, maxlength: 100 },
    /** scrypt hash (see lib/passwords.ts); absent for SSO users and after migration. */
    passwordHash: { type: String },
    emailConfirmedAt: { type: Date },
    /** Entra tenant the user signs in through (SSO users; also set when migration starts). */
    tenantId: { type: String, index: true },
    /** The portal list's equality keys, derived from the email (user-list-keys.ts); absent when unlisted. */
    listKey: { type: String },
    emailDomain: { type: String },
    /** The staff search's keys of the display name's terms (user-list-keys.ts `nameKeysOf`); absent without a name. */
    nameKeys: { type: [String], default: undefined },
    /** Its Entra identity's last recorded sign-in (`lastLoginAt`), kept here so a page of users needs no look-up per row. */
    lastSignInAt: { type: Date },
    /** Bumped to revoke every session of the user at once: sessions carry the version they began with. */
    sessionVersion: { type: Number, required: true, default: 0 },
    /** Bumped to invalidate outstanding password-reset links. */
    resetVersion: { type: Number, required: true, default: 0 },
    isStaff: { type: Boolean, required: true, default: false },
    /** Entra tenant IDs whose users this user may administer (delete). */
    tenantAdminOf: { type: [String], default: [] },
    migration: {
      workflowId: String,
      startedAt: Date,
      completedAt: Date,
      /** The Entra identity being linked, kept so a stalled migration can be restarted as it began. */
      objectId: String,
      nameId: String,
      passwordDisabledAt: Date,
      sessionsRevokedAt: Date,
      /** Object counts before/after, recorded by the migration to prove nothing was lost. */
      countsBefore: Schema.Types.Mixed,
      countsAfter: Schema.Types.Mixed,
    },
    deletion: {
      workflowId: String,
      requestedAt: Date,
      requestedBy: String,
      reason: String,
      completedAt: Date,
    },
  },
  { timestamps: true },
);
userSchema.index({ status: 1, 'migration.startedAt': 1 });
/** The tenancy admin portal's user list, a bucket at a time (lib/portal/users.ts, user-list-keys.ts). */
userSchema.index({ tenantId: 1, listKey: 1 });
userSchema.index({ emailDomain: 1, listKey: 1 });
/** The staff console's user list and search across every tenancy (lib/accounts/user-search.ts). */
userSchema.index({ listKey: 1 });
userSchema.index({ nameKeys: 1 });
maintainListKeys(userSchema);

export type User = InferSchemaType<typeof userSchema>;
export type UserDoc = HydratedDocument<User>;
export const UserModel = model('User', userSchema);
