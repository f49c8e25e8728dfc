import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Append-only: the app inserts these and never updates or deletes them. */
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
});
auditEventSchema.index({ 'target.id': 1, at: -1 });

export type AuditEvent = InferSchemaType<typeof auditEventSchema>;
export const AuditEventModel = model('AuditEvent', auditEventSchema);
