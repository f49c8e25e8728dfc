import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * Where a tenancy's audit stream is: the durable cursor (the seq of the last event the
 * workspace accepted with a 204) and what the stream last reported. Written only by the
 * stream's activities (one workflow per tenancy), read by staff pages.
 */
const auditStreamProgressSchema = new Schema({
  _id: { type: String, required: true }, // tenant ID
  cursor: { type: Number, required: true, default: 0 },
  delivered: { type: Number, required: true, default: 0 },
  quarantined: { type: Number, required: true, default: 0 },
  deliveredAt: Date,
  state: String,
  reason: String,
  stateSince: Date,
});

export type AuditStreamProgress = InferSchemaType<typeof auditStreamProgressSchema>;
export const AuditStreamProgressModel = model('AuditStreamProgress', auditStreamProgressSchema);
