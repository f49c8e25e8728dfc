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
    /**
     * An SSO session's tenancy and NameID (copies of `session.sso`), top-level so single logout
     * finds a user's sessions by an index: FerretDB's indexes on nested paths do not serve its
     * nested-path filters. Written by the session store.
     */
    ssoTenantId: String,
    ssoNameId: String,
  },
  { versionKey: false, minimize: false },
);
sessionSchema.index({ ssoNameId: 1, ssoTenantId: 1 });

export type StoredSession = InferSchemaType<typeof sessionSchema>;
export const SessionModel = model('Session', sessionSchema, 'sessions');
