import './echo-guard';
import { Schema, model } from 'mongoose';

/**
 * One row per counted request of a rate limit (lib/rate-limit-counter.ts, lib/attempt-limit.ts),
 * or per share of a flood limit's counts (lib/flood-limit.ts), keyed by
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
    /** A flood limit's share (lib/flood-limit.ts): one process's counts per inner key since its last share. */
    hits: { type: [{ _id: false, s: String, n: Number }], default: undefined },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const RateLimitHitModel = model('RateLimitHit', rateLimitHitSchema);
