/**
 * Fault switches: what a real workspace and network do to a client on a bad day. One fault is
 * active at a time (set replaces it); `times` makes it clear itself after that many requests.
 *
 *   throttle      429 with Retry-After (seconds)
 *   unavailable   503 with Retry-After
 *   error         500
 *   slow          answer after `delayMs`; with `afterStore` the rows are stored first, so a
 *                 client that gives up (or dies) before the answer will send them again
 *   drop          the connection is cut without an answer (`afterStore` as for slow)
 *   forbidden     403, as when the app lacks the Monitoring Metrics Publisher role
 *   down          every request, tokens included, has its connection cut (the service is gone)
 *
 * `poisonEventIds` is separate and stays until cleared: a batch holding one of those EventIds
 * is refused with 400, like rows a DCR transformation cannot take.
 */
export type Fault =
  | { kind: 'throttle' | 'unavailable'; retryAfter?: number; times?: number }
  | { kind: 'error' | 'forbidden' | 'down'; times?: number }
  | { kind: 'slow'; delayMs: number; afterStore?: boolean; times?: number }
  | { kind: 'drop'; afterStore?: boolean; times?: number };

export class Faults {
  private current?: Fault;
  private left?: number;
  readonly poisonEventIds = new Set<string>();

  set(fault: Fault | undefined): void {
    this.current = fault;
    this.left = fault?.times;
  }

  active(): Fault | undefined {
    return this.current;
  }

  /** The fault this request meets (counting it against `times`), or undefined. */
  take(isToken: boolean): Fault | undefined {
    const fault = this.current;
    if (!fault || (isToken && fault.kind !== 'down')) return undefined;
    if (this.left !== undefined && --this.left <= 0) this.set(undefined);
    return fault;
  }
}
