import mongoose from 'mongoose';
import { RateLimitHitModel } from './models';
import { OnceEachWindow } from './once-each-window';

/**
 * A limit on request floods under two nested keys (the SAML endpoints: per tenancy, and per
 * address within it) that costs a request no database command.
 *
 * Each process counts its own requests in memory and shares them about once a second
 * (`syncMs`): one row per key carrying this process's counts per inner key since the last
 * share, then a read of the key's rows, which gives every process's counts. A request is
 * judged on the last shared counts plus this process's own since then, so within one process
 * the limit is exact, and across N processes a flood can overshoot by at most what the other
 * processes let through in one interval. That is the right trade for a flood limit, whose
 * budget (thousands a minute per tenancy) protects capacity, and the wrong one for guessing
 * passwords, whose limit stays exact (lib/attempt-limit.ts).
 *
 * A refused request is not counted: a flood adds nothing to the counts, and the key is refused
 * until its window ends. Windows are fixed, numbered from the epoch; rows go when their window
 * ends (lib/expiry.ts). A share that fails keeps its counts for the next one.
 */
export interface FloodVerdict {
  over?: 'outer' | 'inner';
  counts: { outer: number; inner: number; resetTime: Date };
  /** For a refusal: whether it is the first of this limit, key and window in any process. */
  first?: boolean;
}

interface Tally {
  key: string;
  resetTime: Date;
  /** Every process's counts as of the last share, this one's included. */
  shared: Counts;
  /** This process's counts not yet in `shared`. */
  own: Counts;
}

class Counts {
  total = 0;
  readonly bySub = new Map<string, number>();
  add(sub: string, n: number): void {
    this.total += n;
    this.bySub.set(sub, (this.bySub.get(sub) ?? 0) + n);
  }
  of(sub: string): number {
    return this.bySub.get(sub) ?? 0;
  }
}

export class FloodLimit {
  private readonly tallies = new Map<string, Tally>();
  private readonly refusals: OnceEachWindow;
  private shareTimer?: NodeJS.Timeout;
  private sharing?: Promise<void>;

  constructor(
    readonly name: string,
    readonly windowMs: number,
    readonly limits: { outer: number; inner: number },
    readonly syncMs = 1000,
  ) {
    this.refusals = new OnceEachWindow(windowMs);
  }

  /** Counts the request under (outer, inner) unless a limit is reached; a refusal says which. */
  async take(outer: string, inner: string): Promise<FloodVerdict> {
    const tally = this.tally(outer);
    const counts = {
      outer: tally.shared.total + tally.own.total,
      inner: tally.shared.of(inner) + tally.own.of(inner),
      resetTime: tally.resetTime,
    };
    const over = counts.inner >= this.limits.inner ? 'inner' : counts.outer >= this.limits.outer ? 'outer' : undefined;
    if (over) {
      const first = await this.refusals.first(`rate-limited:${tally.key}:${over}${over === 'inner' ? `:${inner}` : ''}`, tally.resetTime);
      return { over, counts, first };
    }
    tally.own.add(inner, 1);
    this.shareTimer ??= setTimeout(() => void this.share(), this.syncMs).unref();
    return { counts: { ...counts, outer: counts.outer + 1, inner: counts.inner + 1 } };
  }

  /** Shares this process's counts now (tests; a process that is about to end). */
  async flush(): Promise<void> {
    clearTimeout(this.shareTimer);
    await this.share();
  }

  private tally(outer: string): Tally {
    const n = Math.floor(Date.now() / this.windowMs);
    const key = `${this.name}:${outer}|${n}`;
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = { key, resetTime: new Date((n + 1) * this.windowMs), shared: new Counts(), own: new Counts() };
      this.tallies.set(key, tally);
    }
    return tally;
  }

  private async share(): Promise<void> {
    this.shareTimer = undefined;
    // One share at a time, so a slow database never has two shares count the same requests.
    await this.sharing;
    this.sharing = this.shareOnce();
    await this.sharing;
  }

  private async shareOnce(): Promise<void> {
    // A process shutting down has closed its connection: its last second of counts goes with it.
    if (mongoose.connection.readyState !== mongoose.ConnectionStates.connected) return;
    const now = Date.now();
    for (const [key, tally] of this.tallies) if (tally.resetTime.getTime() <= now) this.tallies.delete(key);
    const busy = [...this.tallies.values()].filter((t) => t.own.total > 0);
    if (!busy.length) return;
    // The counts being shared move to `shared` at once, so requests meanwhile still see them.
    const sent = busy.map((tally) => ({ tally, own: tally.own }));
    for (const { tally, own } of sent) {
      tally.own = new Counts();
      for (const [s, n] of own.bySub) tally.shared.add(s, n);
    }
    try {
      await RateLimitHitModel.insertMany(
        sent.map(({ tally, own }) => ({
          k: tally.key,
          hits: [...own.bySub].map(([s, n]) => ({ s, n })),
          expiresAt: tally.resetTime,
        })),
      );
    } catch (err) {
      for (const { tally, own } of sent) {
        for (const [s, n] of own.bySub) {
          tally.shared.add(s, -n);
          tally.own.add(s, n);
        }
      }
      console.warn(`${this.name}: request counts not shared yet (kept for the next try):`, err);
      return;
    }
    // The rows are in, so the read below counts them with every other process's.
    await Promise.all(
      busy.map(async (tally) => {
        const rows = await RateLimitHitModel.find({ k: tally.key }, { hits: 1 }).lean();
        const shared = new Counts();
        for (const row of rows) for (const { s, n } of row.hits ?? []) shared.add(s ?? '', n ?? 0);
        tally.shared = shared;
      }),
    ).catch((err) => console.warn(`${this.name}: other processes' request counts not read (next share retries):`, err));
  }
}
