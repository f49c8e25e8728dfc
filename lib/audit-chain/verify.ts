import { BUCKET_SIZE, eventHash, type ChainedFields } from './hash';
import { EMPTY_HEAD, readHint, walkForward, type ChainHead } from './heads';
import { readBucket } from './read';

export type BrokenLinkProblem = 'missing' | 'hash-mismatch' | 'prev-hash-mismatch';

export interface BrokenLink {
  seq: number;
  /** The event at this position (absent when it is missing). */
  eventId?: string;
  problem: BrokenLinkProblem;
  expected: string;
  received: string;
}

export interface ChainVerification {
  chain: string;
  ok: boolean;
  /** Events checked. */
  events: number;
  /** The end of the chain: compare with the SIEM's copy of the last event (`EntradaHash`). */
  head: (ChainHead & { eventId: string }) | null;
  firstBroken: BrokenLink | null;
}

/**
 * Recomputes a chain from its first event: every position present once, every `prevHash`
 * equal to the previous event's hash, every hash equal to the event's recomputed hash.
 * Reports the first broken link. A chain cut short at its end is caught against the head
 * hint; beyond that, the copy in the customer's SIEM is the outside witness.
 */
export async function verifyChain(chain: string): Promise<ChainVerification> {
  const hint = await readHint(chain);
  const expectedEnd = Math.max(hint?.seq ?? 0, (await walkForward(chain, hint ?? EMPTY_HEAD)).head.seq);
  let prev: ChainHead & { eventId?: string } = EMPTY_HEAD;
  let events = 0;
  const result = (firstBroken: BrokenLink | null): ChainVerification => ({
    chain,
    ok: !firstBroken,
    events,
    head: prev.eventId ? { seq: prev.seq, hash: prev.hash, eventId: prev.eventId } : null,
    firstBroken,
  });

  for (let bucket = 0; bucket * BUCKET_SIZE <= expectedEnd || bucket === 0; bucket++) {
    for (const e of await readBucket(chain, bucket)) {
      const eventId = e._id.toHexString();
      if (e.seq !== prev.seq + 1)
        return result({ seq: prev.seq + 1, problem: 'missing', expected: `event ${prev.seq + 1}`, received: `event ${e.seq} next` });
      if (e.prevHash !== prev.hash)
        return result({ seq: e.seq, eventId, problem: 'prev-hash-mismatch', expected: prev.hash, received: e.prevHash });
      const recomputed = eventHash(e as unknown as ChainedFields);
      if (recomputed !== e.hash) return result({ seq: e.seq, eventId, problem: 'hash-mismatch', expected: recomputed, received: e.hash });
      prev = { seq: e.seq, hash: e.hash, eventId };
      events += 1;
    }
  }
  if (prev.seq < expectedEnd)
    return result({
      seq: prev.seq + 1,
      problem: 'missing',
      expected: `events up to ${expectedEnd}`,
      received: `chain ends at ${prev.seq}`,
    });
  return result(null);
}
