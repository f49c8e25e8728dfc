import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * A hint of where each audit chain ends, so a process need not scan a chain to append to it.
 * Only a hint: the truth is the unique `link` of the events; readers walk forward from here.
 * It may lag (written every few appends) or even step back (FerretDB's conditional updates
 * are not isolated), which costs a few look-ups, never correctness.
 */
const auditChainHeadSchema = new Schema({
  _id: { type: String, required: true },
  seq: { type: Number, required: true },
  hash: { type: String, required: true },
});

export type AuditChainHead = InferSchemaType<typeof auditChainHeadSchema>;
export const AuditChainHeadModel = model('AuditChainHead', auditChainHeadSchema);
