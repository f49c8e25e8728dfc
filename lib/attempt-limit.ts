import type { Types } from 'mongoose';
import { RateLimitHitModel } from './models';

/**
 * A limit on attempts under two nested keys at once — sign-in: per address (`outer`, one
 * machine spraying many accounts) and per address and account (`inner`, guessing one
 * password), failures only, at three database commands for an attempt that succeeds; the SAML
 * endpoints: per tenancy and per address within it, every request, at two.
 *
 * Every attempt first inserts its row (a unique insert: atomic on FerretDB, whose `$inc` loses
 * updates), carrying both keys, then reads the rows of its window for the outer key once,
 * which gives both counts; it therefore sees at least its own place, and no concurrent burst is
 * under-counted. An attempt that succeeds deletes its row afterwards, so only failures count.
 * A refused attempt deletes its row too, except the first one past a limit (which is the one
 * audited): a flood adds no rows. Windows are fixed, numbered from the epoch; rows go when
 * their window ends (lib/expiry.ts).
 */
export interface AttemptCounts {
  outer: number;
  inner: number;
  resetTime: Date;
}

export interface Attempt {
  id: Types.ObjectId;
  counts: AttemptCounts;
  /** Which limit this attempt is over, if any. */
  over?: 'outer' | 'inner';
  /** The first attempt past that limit in this window. */
  first: boolean;
}

export class AttemptLimit {
  constructor(
    readonly name: string,
    readonly windowMs: number,
    readonly limits: { outer: number; inner: number },
  ) {}

  async begin(outer: string, inner: string): Promise<Attempt> {
    const n = Math.floor(Date.now() / this.windowMs);
    const k = `${this.name}:${outer}|${n}`;
    const resetTime = new Date((n + 1) * this.windowMs);
    const row = await RateLimitHitModel.create({ k, sub: inner, expiresAt: resetTime });
    const rows = await RateLimitHitModel.find({ k }, { sub: 1 }).lean();
    const counts = { outer: rows.length, inner: rows.filter((r) => r.sub === inner).length, resetTime };
    const over = counts.inner > this.limits.inner ? 'inner' : counts.outer > this.limits.outer ? 'outer' : undefined;
    const first = over === 'inner' ? counts.inner === this.limits.inner + 1 : counts.outer === this.limits.outer + 1;
    return { id: row._id, counts, ...(over ? { over } : {}), first: Boolean(over) && first };
  }

  /** The attempt does not count: it succeeded, or it was refused after the first refusal. */
  async withdraw(attempt: Attempt): Promise<void> {
    await RateLimitHitModel.deleteOne({ _id: attempt.id });
  }
}
