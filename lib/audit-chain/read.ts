import { AuditEventModel, type AuditEvent } from '../models';
import { BUCKET_SIZE, bucketKey } from './hash';

export type ChainEvent = AuditEvent & { _id: { toHexString(): string }; seq: number; hash: string; prevHash: string };

/** One bucket of a chain (up to 1,000 events), in chain order. */
export async function readBucket(chain: string, bucket: number): Promise<ChainEvent[]> {
  const docs = (await AuditEventModel.find({ bucket: bucketKey(chain, bucket * BUCKET_SIZE) }).lean()) as ChainEvent[];
  return docs.sort((a, b) => a.seq - b.seq);
}

/**
 * Up to `limit` events after position `after`, in order and without gaps: reading stops at
 * the first position with no event (the end of the chain). Streams and the pull API page
 * through a chain with this, so a cursor is simply a seq.
 */
export async function readAfter(chain: string, after: number, limit: number): Promise<ChainEvent[]> {
  const out: ChainEvent[] = [];
  let next = after + 1;
  while (out.length < limit) {
    const bucket = Math.floor(next / BUCKET_SIZE);
    for (const e of await readBucket(chain, bucket)) {
      if (e.seq < next) continue;
      if (e.seq !== next || out.length >= limit) break;
      out.push(e);
      next += 1;
    }
    // Stopped inside this bucket: the chain ends here (or the limit was reached).
    if (Math.floor(next / BUCKET_SIZE) === bucket) break;
  }
  return out;
}
