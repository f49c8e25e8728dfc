import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * Events the workspace refused with a 400 (after the batch was split down to them): kept with
 * the exact answer for staff, and skipped so the stream goes on. One row per event and stream.
 */
const auditStreamQuarantineSchema = new Schema({
  tenantId: { type: String, required: true, index: true },
  eventId: { type: String, required: true },
  seq: { type: Number, required: true },
  status: { type: Number, required: true },
  error: { type: String, required: true },
  at: { type: Date, required: true, default: () => new Date() },
});
auditStreamQuarantineSchema.index({ tenantId: 1, eventId: 1 }, { unique: true });

export type AuditStreamQuarantine = InferSchemaType<typeof auditStreamQuarantineSchema>;
export const AuditStreamQuarantineModel = model('AuditStreamQuarantine', auditStreamQuarantineSchema);
