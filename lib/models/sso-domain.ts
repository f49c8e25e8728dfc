import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * One row per domain claimed by a tenant. The unique index makes "not already claimed by
 * another tenant" a single atomic insert, with no transaction.
 */
const ssoDomainSchema = new Schema(
  {
    domain: { type: String, required: true, unique: true, lowercase: true },
    tenantId: { type: String, required: true, index: true },
    claimedBy: String,
  },
  { timestamps: true },
);

export type SsoDomain = InferSchemaType<typeof ssoDomainSchema>;
export const SsoDomainModel = model('SsoDomain', ssoDomainSchema);
