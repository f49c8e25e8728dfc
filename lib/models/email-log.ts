import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * One row per email sent, keyed by the sender's idempotency key (workflow ID + step), so an
 * activity retried after a crash does not mail the same thing twice.
 */
const emailLogSchema = new Schema({
  key: { type: String, required: true, unique: true },
  to: { type: [String], required: true },
  subject: { type: String, required: true },
  template: String,
  state: { type: String, enum: ['sending', 'sent'], required: true },
  messageId: String,
  sentAt: Date,
  createdAt: { type: Date, default: () => new Date() },
});

export type EmailLog = InferSchemaType<typeof emailLogSchema>;
export const EmailLogModel = model('EmailLog', emailLogSchema);
