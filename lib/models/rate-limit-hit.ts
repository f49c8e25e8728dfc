import './echo-guard';
import { Schema, model } from 'mongoose';

/**
 * One row per counted request of a rate limit (web/accounts/rate-limit-store.ts), keyed by
 * `<limiter>:<client key>|<window number>`. Inserting a row is atomic on FerretDB as on
 * MongoDB, where incrementing a counter is not isolated on FerretDB; a window's count is
 * an indexed count of its rows. Rows go when their window ends (lib/expiry.ts).
 */
const rateLimitHitSchema = new Schema(
  {
    k: { type: String, required: true, index: true },
    /** The inner key of a nested limit (lib/attempt-limit.ts): the account under the address in `k` (sign-in), the address under the tenancy (SAML). */
    sub: String,
    /** A marker, not a counted attempt: this window is over its `outer` limit, or over its `inner` limit for `sub`. */
    closed: { type: String, enum: ['outer', 'inner'] },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const RateLimitHitModel = model('RateLimitHit', rateLimitHitSchema);
