import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { RateLimitCounter } from '../../lib/rate-limit-counter';

/** express-rate-limit's store on the shared counter (lib/rate-limit-counter.ts). */
export class MongoRateLimitStore implements Store {
  readonly localKeys = false;
  private counter: RateLimitCounter;

  constructor(readonly prefix: string) {
    this.counter = new RateLimitCounter(prefix, 60_000);
  }

  init(options: Options): void {
    this.counter = new RateLimitCounter(this.prefix, options.windowMs, typeof options.limit === 'number' ? options.limit : Infinity);
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const count = await this.counter.count(key);
    return count.totalHits ? count : undefined;
  }

  increment(key: string): Promise<ClientRateLimitInfo> {
    return this.counter.hit(key);
  }

  /** `skipSuccessfulRequests`: a request that should not count after all. */
  decrement(key: string): Promise<void> {
    return this.counter.undo(key);
  }

  resetKey(key: string): Promise<void> {
    return this.counter.reset(key);
  }
}
