import { Schema, model } from 'mongoose';

/**
 * Every audit action name seen (one row each, `_id` = the name): the audit console's action
 * picker reads this short list instead of a `distinct` over the whole trail, which would read
 * every event. Written by lib/audit.ts the first time a process records an action.
 */
const auditActionSchema = new Schema({
  _id: { type: String, required: true },
  firstAt: { type: Date, required: true, default: () => new Date() },
});

export const AuditActionModel = model('AuditAction', auditActionSchema);
