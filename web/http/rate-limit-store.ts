import mongoose from 'mongoose';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';

/**
 * express-rate-limit counters in MongoDB, so every web process counts against the same budget
 * (the web tier is stateless; a per-process memory store would give an attacker N times the
 * attempts behind N processes). One document per limiter and key, `_id` = `<limiter>:<key>`,
 * changed only by single-document atomic updates.
 */
interface Counter {
  _id: string;
  hits: number;
  resetAt: Date;
}

export const RATE_LIMIT_COLLECTION = 'ratelimits';

export class MongoRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(readonly prefix: string) {}

  private get counters() {
    return mongoose.connection.collection<Counter>(RATE_LIMIT_COLLECTION);
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const doc = await this.counters.findOne({ _id: this.id(key), resetAt: { $gt: new Date() } });
    return doc ? { totalHits: doc.hits, resetTime: doc.resetAt } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const id = this.id(key);
    const now = new Date();
    // Count in the live window; failing that, start a new one (replacing an expired window).
    // Two requests racing to start it: the loser's upsert hits the _id and counts in the winner's.
    let doc = await this.counters.findOneAndUpdate({ _id: id, resetAt: { $gt: now } }, { $inc: { hits: 1 } }, { returnDocument: 'after' });
    if (!doc) {
      const fresh = { hits: 1, resetAt: new Date(now.getTime() + this.windowMs) };
      doc = await this.counters
        .findOneAndUpdate({ _id: id, resetAt: { $lte: now } }, { $set: fresh }, { upsert: true, returnDocument: 'after' })
        .catch((err) => {
          if (err?.code !== 11000) throw err;
          return this.counters.findOneAndUpdate({ _id: id }, { $inc: { hits: 1 } }, { returnDocument: 'after' });
        });
    }
    return { totalHits: doc!.hits, resetTime: doc!.resetAt };
  }

  async decrement(key: string): Promise<void> {
    await this.counters.updateOne({ _id: this.id(key), resetAt: { $gt: new Date() }, hits: { $gt: 0 } }, { $inc: { hits: -1 } });
  }

  async resetKey(key: string): Promise<void> {
    await this.counters.deleteOne({ _id: this.id(key) });
  }

  private id(key: string) {
    return `${this.prefix}:${key}`;
  }
}

/**
 * Expired windows are reused by the same key, so the collection grows only with distinct keys;
 * MongoDB drops expired ones by TTL index. FerretDB v1 has no TTL indexes ("not implemented"),
 * which is tolerated: there, expired counters stay until the same key starts a new window.
 */
export async function ensureRateLimitIndexes(): Promise<void> {
  await mongoose.connection
    .collection(RATE_LIMIT_COLLECTION)
    .createIndex({ resetAt: 1 }, { expireAfterSeconds: 0 })
    .catch((err) => {
      if (!/not implemented/i.test(String(err?.message))) throw err;
    });
}
