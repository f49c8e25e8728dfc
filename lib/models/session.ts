import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * Browser sessions (express-session data), read on every signed-in request. `_id` is the
 * session ID, so a load is one `_id` look-up. Expired rows are ignored on read and removed by
 * the expiry job; nothing here writes unacknowledged (see web/http/session-store.ts).
 */
const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    session: { type: Schema.Types.Mixed, required: true },
    /** No index declared here: lib/expiry.ts makes it a TTL index where the server has them. */
    expires: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

export type StoredSession = InferSchemaType<typeof sessionSchema>;
export const SessionModel = model('Session', sessionSchema, 'sessions');
