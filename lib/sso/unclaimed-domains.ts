/**
 * Domains recently seen with no SSO claim. Nearly every password sign-in, registration and
 * invite asks whether its email's domain is nominated, and nearly always it is not: remembering
 * "not claimed" for a few seconds saves that look-up on the hot path. A claim made by this
 * process forgets the domain at once; one made by another process is seen within `ttlMs`.
 * Enforcement starts at go-live, which follows a claim by the whole testing period (a domain
 * nominated on a live tenancy is enforced within `ttlMs`). Claimed domains are never cached,
 * so a release is seen at once.
 */
export class UnclaimedDomains {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  has(domain: string, now = Date.now()): boolean {
    const until = this.until.get(domain);
    if (until === undefined) return false;
    if (until > now) return true;
    this.until.delete(domain);
    return false;
  }

  remember(domain: string, now = Date.now()): void {
    // A crawler spraying random domains must not grow the process: start over when full.
    if (this.until.size >= this.maxEntries) this.until.clear();
    this.until.set(domain, now + this.ttlMs);
  }

  forget(domain: string): void {
    this.until.delete(domain);
  }
}
