import './echo-guard';
import { Schema, model } from 'mongoose';

/**
 * A full bucket of an audit chain, copied into one document (lib/audit-chain/pages.ts): its
 * events as one BSON blob, in chain order. Readers of a chain (streams, the pull API) read a
 * page instead of its 100 events, because FerretDB spends its time per document returned
 * (~0.2 ms of CPU each, field by field), and one blob is one value. The events stay the record;
 * verification reads them and checks each page against them.
 */
const auditPageSchema = new Schema(
  {
    /** The bucket's key, `<chain>:<seq div 100>` (as `AuditEvent.bucket`). */
    _id: { type: String, required: true },
    events: { type: Buffer, required: true },
  },
  { versionKey: false },
);

export const AuditPageModel = model('AuditPage', auditPageSchema);
