import { RateLimitHitModel } from './models';

/**
 * A rate limit's counts, in the database, so every web process counts against the same
 * budget (the web tier is stateless; a per-process count would give an attacker N times the
 * attempts behind N processes).
 *
 * Windows are fixed (`windowMs` long, numbered from the epoch) and each counted request is one
 * inserted row (lib/models/rate-limit-hit.ts): a request inserts, then counts its window, so
 * it sees at least its own place and no concurrent burst is under-counted, on FerretDB (whose
 * `$inc` is a read-modify-write that loses updates) as on MongoDB. The error is on the safe
 * side: requests that arrive together at the limit may all see each other and all be refused
 * (test/data/rate-limit-counts.test.ts). The first refused request still gets its row (so it
 * alone sees `limit + 1`, which the limiter audits); after it, a client over the limit is
 * refused after the count alone: flooding does not grow the collection past `limit + 1` rows
 * (plus a concurrent burst) per key and window.
 */
export interface WindowCount {
  totalHits: number;
  resetTime: Date;
}

export class RateLimitCounter {
  constructor(
    readonly prefix: string,
    readonly windowMs: number,
    readonly limit = Infinity,
  ) {}

  async count(key: string): Promise<WindowCount> {
    const w = this.window(key);
    return { totalHits: await RateLimitHitModel.countDocuments({ k: w.k }), resetTime: w.resetTime };
  }

  /** Counts one request and returns its window's count, this request included. */
  async hit(key: string): Promise<WindowCount> {
    const w = this.window(key);
    const before = await RateLimitHitModel.countDocuments({ k: w.k });
    if (before > this.limit) return { totalHits: before + 1, resetTime: w.resetTime };
    await RateLimitHitModel.create({ k: w.k, expiresAt: w.resetTime });
    return { totalHits: await RateLimitHitModel.countDocuments({ k: w.k }), resetTime: w.resetTime };
  }

  /** A request that should not count after all: one of its window's rows goes. */
  async undo(key: string): Promise<void> {
    await RateLimitHitModel.deleteOne({ k: this.window(key).k });
  }

  async reset(key: string): Promise<void> {
    await RateLimitHitModel.deleteMany({ k: this.window(key).k });
  }

  private window(key: string) {
    const n = Math.floor(Date.now() / this.windowMs);
    return { k: `${this.prefix}:${key}|${n}`, resetTime: new Date((n + 1) * this.windowMs) };
  }
}
