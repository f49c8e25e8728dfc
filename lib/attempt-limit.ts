import type { Types } from 'mongoose';
import { RateLimitHitModel } from './models';
import { OnceEachWindow } from './once-each-window';

/**
 * An exact limit on attempts under two nested keys at once — sign-in: per address (`outer`, one
 * machine spraying many accounts) and per address and account (`inner`, guessing one
 * password), failures only, at two database commands before the answer and a share of a
 * batched delete after it for an attempt that succeeds. (Floods of SAML requests, where a
 * second's slack across processes is fine, are limited without a command: lib/flood-limit.ts.)
 *
 * Every attempt first inserts its row (a unique insert: atomic on FerretDB, whose `$inc` loses
 * updates), carrying both keys, then reads the rows of its window for the outer key once,
 * which gives both counts; it therefore sees at least its own place, and no concurrent burst is
 * under-counted. An attempt that succeeds deletes its row afterwards, so only failures count.
 *
 * Once a key is over its limit its window is closed: a marker row (`closed`) says so for the
 * rest of the window, and a refused attempt gives its own row back only once that marker is
 * stored, so a flood adds no rows and the count can never drop back under the limit. (Giving
 * rows back by count alone failed under a burst: every attempt read the full count, none was
 * "the first past the limit", all deleted their rows, and the next request was let through.)
 * Windows are fixed, numbered from the epoch; rows go when their window ends (lib/expiry.ts).
 */
export interface AttemptCounts {
  outer: number;
  inner: number;
  resetTime: Date;
}

export interface Attempt {
  id: Types.ObjectId;
  k: string;
  inner: string;
  counts: AttemptCounts;
  /** Which limit this attempt is over, if any. */
  over?: 'outer' | 'inner';
  /** Whether the attempt found that limit's window already closed. */
  closed: boolean;
}

export class AttemptLimit {
  private readonly refusals: OnceEachWindow;

  constructor(
    readonly name: string,
    readonly windowMs: number,
    readonly limits: { outer: number; inner: number },
  ) {
    this.refusals = new OnceEachWindow(windowMs);
  }

  async begin(outer: string, inner: string): Promise<Attempt> {
    const n = Math.floor(Date.now() / this.windowMs);
    const k = `${this.name}:${outer}|${n}`;
    const resetTime = new Date((n + 1) * this.windowMs);
    const row = await RateLimitHitModel.create({ k, sub: inner, expiresAt: resetTime });
    const rows = await RateLimitHitModel.find({ k }, { sub: 1, closed: 1 }).lean();
    const counted = rows.filter((r) => !r.closed);
    const counts = { outer: counted.length, inner: counted.filter((r) => r.sub === inner).length, resetTime };
    const closedInner = rows.some((r) => r.closed === 'inner' && r.sub === inner);
    const closedOuter = rows.some((r) => r.closed === 'outer');
    const over =
      closedInner || counts.inner > this.limits.inner ? 'inner' : closedOuter || counts.outer > this.limits.outer ? 'outer' : undefined;
    const closed = over === 'inner' ? closedInner : over === 'outer' && closedOuter;
    return { id: row._id, k, inner, counts, ...(over ? { over } : {}), closed };
  }

  /**
   * A refused attempt: closes its limit's window if it is not closed yet, then gives its row
   * back. Resolves to true exactly once per limit, key and window, however refusals race (a
   * claim, remembered in this process): the caller audits the refusal then.
   */
  async refuse(attempt: Attempt): Promise<boolean> {
    const over = attempt.over!;
    if (!attempt.closed) {
      await RateLimitHitModel.create({
        k: attempt.k,
        closed: over,
        ...(over === 'inner' ? { sub: attempt.inner } : {}),
        expiresAt: attempt.counts.resetTime,
      });
    }
    await RateLimitHitModel.deleteOne({ _id: attempt.id });
    return this.refusals.first(`rate-limited:${attempt.k}:${over}${over === 'inner' ? `:${attempt.inner}` : ''}`, attempt.counts.resetTime);
  }

  private givingBack: Types.ObjectId[] = [];
  private giveBackTimer?: NodeJS.Timeout;

  /**
   * The attempt succeeded, so it does not count; called once its response is out. Rows given
   * back within GIVE_BACK_MS of each other go in one command, so a morning's rush of sign-ins
   * costs a fraction of a command each. A row that is never given back (the process ended, or
   * the delete failed) only makes the limit stricter until its window ends.
   */
  withdrawSoon(attempt: Attempt): void {
    this.givingBack.push(attempt.id);
    this.giveBackTimer ??= setTimeout(() => void this.giveBack(), GIVE_BACK_MS).unref();
  }

  private async giveBack(): Promise<void> {
    const ids = this.givingBack.splice(0);
    this.giveBackTimer = undefined;
    try {
      await RateLimitHitModel.bulkWrite(
        ids.map((_id) => ({ deleteOne: { filter: { _id } } })),
        { ordered: false },
      );
    } catch (err) {
      console.warn(`${this.name}: ${ids.length} successful attempts not given back (they count until their window ends):`, err);
    }
  }
}

const GIVE_BACK_MS = 100;
