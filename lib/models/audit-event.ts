import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * Append-only: the app inserts these (lib/audit-chain) and never updates or deletes them.
 * `_id` is the event's stable ID. Each event has a place in its tenancy's hash chain.
 */
const auditEventSchema = new Schema({
  at: { type: Date, required: true, default: () => new Date(), index: true },
  action: { type: String, required: true, index: true },
  outcome: { type: String, enum: AUDIT_OUTCOMES, required: true },
  actor: {
    kind: { type: String, enum: ['user', 'staff', 'system', 'anonymous'], required: true },
    userId: String,
    email: String,
  },
  target: { type: { type: String }, id: String },
  tenantId: { type: String, index: true },
  ip: String,
  userAgent: String,
  details: Schema.Types.Mixed,
  /** Position in the chain (1, 2, ...): per tenancy, or the platform chain for events without one. */
  seq: Number,
  /** `<chain>:<seq>`, unique: two appenders can never both take one position. */
  link: { type: String, unique: true, sparse: true },
  /** `<chain>:<seq div 100>`: ranges of a chain are read by equality (FerretDB pushes down nothing else). */
  bucket: { type: String, index: true },
  prevHash: String,
  /** SHA-256 over the event's fields, its seq and prevHash (lib/audit-chain/hash.ts). */
  hash: String,
});
auditEventSchema.index({ 'target.id': 1, at: -1 });

export type AuditEvent = InferSchemaType<typeof auditEventSchema>;
export const AuditEventModel = model('AuditEvent', auditEventSchema);
