import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

export const STREAM_LEVELS = ['standard', 'extended'] as const;
export type StreamLevel = (typeof STREAM_LEVELS)[number];

const sealedSecretSchema = new Schema(
  {
    keyId: { type: String, required: true },
    iv: { type: String, required: true },
    tag: { type: String, required: true },
    data: { type: String, required: true },
  },
  { _id: false },
);

/**
 * A tenancy's audit stream to its Log Analytics workspace (Microsoft Sentinel), as staff
 * configured it. Written only by the configuration use case; the stream's own progress is
 * another document (AuditStreamProgress), so neither can overwrite the other on FerretDB,
 * whose updates rewrite whole documents without isolation.
 */
const auditStreamSchema = new Schema(
  {
    tenantId: { type: String, required: true, unique: true, lowercase: true },
    /** Logs Ingestion endpoint: the DCE, or the DCR's own ingestion URL. */
    endpoint: { type: String, required: true },
    dcrImmutableId: { type: String, required: true },
    streamName: { type: String, required: true },
    /** The customer's Entra app that holds Monitoring Metrics Publisher on the DCR. */
    directoryId: { type: String, required: true },
    clientId: { type: String, required: true },
    /** AES-256-GCM (lib/secret-box.ts); never returned by any read. */
    clientSecret: { type: sealedSecretSchema, required: true },
    secretSetAt: { type: Date, required: true },
    /** Bumped with each new secret: cached tokens of the old one are not used again. */
    secretVersion: { type: Number, required: true, default: 1 },
    level: { type: String, enum: STREAM_LEVELS, required: true, default: 'standard' },
    enabled: { type: Boolean, required: true, default: true },
    /** Bumped on every save: the stream reloads its configuration when it changes. */
    configVersion: { type: Number, required: true, default: 1 },
    updatedBy: String,
  },
  { timestamps: true },
);

export type AuditStream = InferSchemaType<typeof auditStreamSchema>;
export const AuditStreamModel = model('AuditStream', auditStreamSchema);
