import { claimOnce } from './claims';

/**
 * "The first time in this window, in any process": a rate limit audits its first refusal of a
 * key and window, however many follow and however they race. A claim in the database decides
 * it; this process remembers the keys it has seen, so a flood of refusals costs no command
 * after the first.
 */
export class OnceEachWindow {
  private readonly seen = new Set<string>();

  constructor(readonly windowMs: number) {}

  async first(key: string, windowEnd: Date): Promise<boolean> {
    if (this.seen.has(key)) return false;
    const first = await claimOnce(key, windowEnd.getTime() - Date.now() + this.windowMs);
    if (this.seen.size >= 10_000) this.seen.clear();
    this.seen.add(key);
    return first;
  }
}
