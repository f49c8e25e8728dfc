import { BUCKET_SIZE, eventHash, type ChainedFields } from './hash';
import { EMPTY_HEAD, readHint, walkForward, type ChainHead } from './heads';
import { readPage } from './pages';
import { readStoredBucket, type ChainEvent } from './read';

export type BrokenLinkProblem = 'missing' | 'hash-mismatch' | 'prev-hash-mismatch' | 'page-mismatch';

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
 * hint; beyond that, the copy in the customer's SIEM is the outside witness. The events are
 * the record; a bucket's page (what streams read) must hold exactly them.
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
    const stored = await readStoredBucket(chain, bucket);
    const pageBroken = await comparePage(chain, bucket, stored);
    for (const e of stored) {
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
    if (pageBroken) return result(pageBroken);
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

/** The first event where a bucket's page differs from the stored events, if it has a page. */
async function comparePage(chain: string, bucket: number, stored: ChainEvent[]): Promise<BrokenLink | null> {
  const page = await readPage(chain, bucket);
  if (!page) return null;
  for (let i = 0; i < Math.max(page.length, stored.length); i++) {
    const [copy, e] = [page[i], stored[i]];
    if (
      copy &&
      e &&
      copy.seq === e.seq &&
      copy._id.toHexString() === e._id.toHexString() &&
      eventHash(copy as unknown as ChainedFields) === e.hash
    )
      continue;
    return {
      seq: e?.seq ?? copy.seq,
      ...(e ? { eventId: e._id.toHexString() } : {}),
      problem: 'page-mismatch',
      expected: e ? `event ${e.seq} with hash ${e.hash}` : 'no event',
      received: copy ? `event ${copy.seq} hashing to ${eventHash(copy as unknown as ChainedFields)}` : 'no copy',
    };
  }
  return null;
}
