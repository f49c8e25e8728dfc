import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * Bearer secrets of a tenancy's SCIM endpoint; only the SHA-256 is stored (the secret is shown
 * once). Rotation gives the old secret an `expiresAt` (the overlap), so Entra can be switched
 * over without a gap; revocation ends it at once.
 */
const scimTokenSchema = new Schema(
  {
    tokenHash: { type: String, required: true, unique: true },
    tenantId: { type: String, required: true, index: true },
    /** The first characters of the secret, to tell tokens apart in lists. */
    hint: { type: String, required: true },
    label: String,
    createdBy: { type: String, required: true },
    expiresAt: Date,
    revokedAt: Date,
    lastUsedAt: Date,
  },
  { timestamps: true },
);

export type ScimToken = InferSchemaType<typeof scimTokenSchema>;
export const ScimTokenModel = model('ScimToken', scimTokenSchema);
