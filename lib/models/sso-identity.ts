import './echo-guard';
import { Schema, model, Types, type InferSchemaType } from 'mongoose';

/**
 * The binding of an Entra identity to a user. Keyed on (tenantId, objectId), never on email:
 * the same email with another object ID is another person (a recreated Entra account).
 * Deleted identities stay as tombstones so they can never be linked again.
 */
const ssoIdentitySchema = new Schema(
  {
    tenantId: { type: String, required: true },
    objectId: { type: String, required: true },
    userId: { type: Types.ObjectId, ref: 'User', required: true, index: true },
    nameId: { type: String, required: true },
    email: { type: String, required: true, lowercase: true },
    status: { type: String, enum: ['active', 'deleted'], required: true, default: 'active' },
    deletedAt: Date,
    lastLoginAt: Date,
  },
  { timestamps: true },
);
ssoIdentitySchema.index({ tenantId: 1, objectId: 1 }, { unique: true });
ssoIdentitySchema.index({ tenantId: 1, email: 1 });

export type SsoIdentity = InferSchemaType<typeof ssoIdentitySchema>;
export const SsoIdentityModel = model('SsoIdentity', ssoIdentitySchema);
