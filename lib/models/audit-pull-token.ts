import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';
import { STREAM_LEVELS } from './audit-stream';

/**
 * Read-only bearer tokens for a tenancy's audit pull API (other SIEMs poll it). Only the
 * SHA-256 of the token is stored. Nothing updates a token but its revocation (no last-used
 * time: on FerretDB a concurrent write of that could rewrite the document and lose a revocation).
 */
const auditPullTokenSchema = new Schema(
  {
    tenantId: { type: String, required: true, index: true },
    tokenHash: { type: String, required: true, unique: true },
    label: { type: String, required: true, maxlength: 100 },
    level: { type: String, enum: STREAM_LEVELS, required: true, default: 'standard' },
    createdBy: String,
    revokedAt: Date,
  },
  { timestamps: true },
);

export type AuditPullToken = InferSchemaType<typeof auditPullTokenSchema>;
export const AuditPullTokenModel = model('AuditPullToken', auditPullTokenSchema);
