import mongoose from 'mongoose';
import { AuditPageModel } from '../models';
import { BUCKET_SIZE, bucketKey } from './hash';
import type { ChainEvent } from './read';

/**
 * Pages: each full bucket of a chain copied into one document, so that reading a chain costs
 * FerretDB one document per 100 events instead of 100 (a stream catching up on a backlog
 * reads nothing else). A bucket is final once full: positions are taken in order, without
 * gaps, and events are never changed, so a page never goes stale.
 *
 * Pages are written as buckets fill (lib/audit-chain/append.ts, from the events the writer has
 * just stored, or else read back), and by any reader that finds a full bucket without one.
 * Writing a page is a unique insert by the bucket's key: racing writers store one.
 */
const { BSON } = mongoose.mongo;

/** The positions a bucket holds: bucket 0 starts at seq 1. */
export const bucketSpan = (bucket: number) => ({ first: Math.max(1, bucket * BUCKET_SIZE), last: (bucket + 1) * BUCKET_SIZE - 1 });

/** Whether `events` (one bucket's, in order) are all of it. */
export function isFullBucket(bucket: number, events: { seq: number }[]): boolean {
  const { first, last } = bucketSpan(bucket);
  return events.length === last - first + 1 && events[0]?.seq === first && events[events.length - 1].seq === last;
}

export async function readPage(chain: string, bucket: number): Promise<ChainEvent[] | null> {
  const page = await AuditPageModel.collection.findOne({ _id: bucketKey(chain, bucket * BUCKET_SIZE) as never });
  if (!page) return null;
  return BSON.deserialize((page.events as InstanceType<typeof BSON.Binary>).buffer).events as ChainEvent[];
}

/** Stores the page of a full bucket; a page stored already (by another writer) is left as it is. */
export async function writePage(chain: string, bucket: number, events: { seq: number }[]): Promise<void> {
  if (!isFullBucket(bucket, events)) throw new Error(`audit chain ${chain}: bucket ${bucket} is not full`);
  try {
    await AuditPageModel.collection.insertOne({
      _id: bucketKey(chain, bucket * BUCKET_SIZE) as never,
      events: new BSON.Binary(BSON.serialize({ events })),
    });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
}

/**
 * Writes a page off the caller's path: a page that is not written costs its readers time,
 * never correctness (they read the events and write it then).
 */
export function writePageSoon(chain: string, bucket: number, events: () => Promise<{ seq: number }[]> | { seq: number }[]): void {
  void (async () => writePage(chain, bucket, await events()))().catch((err) =>
    console.warn(`audit chain ${chain}: page ${bucket} not written (its readers will write it):`, err),
  );
}
