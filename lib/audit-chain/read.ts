import { AuditEventModel, type AuditEvent } from '../models';
import { BUCKET_SIZE, bucketKey } from './hash';
import { isFullBucket, readPage, writePageSoon } from './pages';

export type ChainEvent = AuditEvent & { _id: { toHexString(): string }; seq: number; hash: string; prevHash: string };

/** One bucket of a chain (up to BUCKET_SIZE events) as stored, in chain order. */
export async function readStoredBucket(chain: string, bucket: number): Promise<ChainEvent[]> {
  const docs = (await AuditEventModel.find({ bucket: bucketKey(chain, bucket * BUCKET_SIZE) }).lean()) as ChainEvent[];
  return docs.sort((a, b) => a.seq - b.seq);
}

/** The events of one bucket that also match `where` (top-level equality, pushed down by FerretDB), in no order. */
export async function readBucketWhere(chain: string, bucket: number, where: Record<string, string>): Promise<ChainEvent[]> {
  return (await AuditEventModel.find({ ...where, bucket: bucketKey(chain, bucket * BUCKET_SIZE) }).lean()) as ChainEvent[];
}

/** One bucket of a chain, from its page when it has one (lib/audit-chain/pages.ts). */
export async function readBucket(chain: string, bucket: number): Promise<ChainEvent[]> {
  const page = await readPage(chain, bucket);
  if (page) return page;
  const events = await readStoredBucket(chain, bucket);
  if (isFullBucket(bucket, events)) writePageSoon(chain, bucket, () => events);
  return events;
}

/**
 * Up to `limit` events after position `after`, in order and without gaps: reading stops at
 * the first position with no event (the end of the chain). Streams and the pull API page
 * through a chain with this, so a cursor is simply a seq.
 */
export async function readAfter(chain: string, after: number, limit: number): Promise<ChainEvent[]> {
  const out: ChainEvent[] = [];
  let next = after + 1;
  const lastBucket = Math.floor((after + limit) / BUCKET_SIZE);
  // One bucket first (a stream that is caught up finds the end there); then, while buckets come
  // back full, a few at once: FerretDB answers them on several cores.
  for (let bucket = Math.floor(next / BUCKET_SIZE), width = 1; bucket <= lastBucket; width = PARALLEL) {
    const count = Math.min(width, lastBucket - bucket + 1);
    const read = await Promise.all(Array.from({ length: count }, (_, i) => readBucket(chain, bucket + i)));
    bucket += count;
    for (const e of read.flat()) {
      if (e.seq < next) continue;
      if (e.seq !== next || out.length >= limit) return out;
      out.push(e);
      next += 1;
    }
    // Stopped short of the end of the buckets read: the chain ends here.
    if (next < bucket * BUCKET_SIZE) return out;
  }
  return out;
}

const PARALLEL = 4;
