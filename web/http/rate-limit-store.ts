import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { RateLimitHitModel } from '../../lib/models';

/**
 * express-rate-limit counters in the database, so every web process counts against the same
 * budget (the web tier is stateless; a per-process memory store would give an attacker N times
 * the attempts behind N processes).
 *
 * Windows are fixed (`windowMs` long, numbered from the epoch) and each counted request is one
 * inserted row (lib/models/rate-limit-hit.ts): a request inserts, then counts its window, so
 * it sees at least its own place and no concurrent burst is under-counted, on FerretDB (whose
 * `$inc` is a read-modify-write that loses updates) as on MongoDB. The error is on the safe
 * side: requests that arrive together at the limit may all see each other and all be refused
 * (test/data/rate-limit-counts.test.ts). The first refused request still gets its row (so
 * it alone sees `limit + 1`, which the limiter audits); after it, a client over the limit is
 * refused after the count alone: flooding does not grow the collection past `limit + 1` rows
 * (plus a concurrent burst) per key and window.
 */
export class MongoRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private limit = Infinity;

  constructor(readonly prefix: string) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
    if (typeof options.limit === 'number') this.limit = options.limit;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const w = this.window(key);
    const totalHits = await RateLimitHitModel.countDocuments({ k: w.k });
    return totalHits ? { totalHits, resetTime: w.resetTime } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const w = this.window(key);
    const before = await RateLimitHitModel.countDocuments({ k: w.k });
    if (before > this.limit) return { totalHits: before + 1, resetTime: w.resetTime };
    await RateLimitHitModel.create({ k: w.k, expiresAt: w.resetTime });
    return { totalHits: await RateLimitHitModel.countDocuments({ k: w.k }), resetTime: w.resetTime };
  }

  /** A request that should not count after all (`skipSuccessfulRequests`): one of its window's rows goes. */
  async decrement(key: string): Promise<void> {
    await RateLimitHitModel.deleteOne({ k: this.window(key).k });
  }

  async resetKey(key: string): Promise<void> {
    await RateLimitHitModel.deleteMany({ k: this.window(key).k });
  }

  private window(key: string) {
    const n = Math.floor(Date.now() / this.windowMs);
    return { k: `${this.prefix}:${key}|${n}`, resetTime: new Date((n + 1) * this.windowMs) };
  }
}
