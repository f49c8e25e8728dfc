import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import mongoose, { type QueryFilter } from 'mongoose';
import { BLOB_BUCKET, FileModel, type FileMeta } from '../../lib/models';
import { purgeInlineFiles } from './purge-inline';

/** What the purge heartbeats: a retried attempt takes its totals from the last one the server got. */
export interface PurgeCheckpoint {
  total: number;
  purged: number;
  bytes: number;
  totalBytes: number;
}

/**
 * Batches are a fifth of the purge (progress moves in steps of at most 20 %), between `min`
 * and `max` files. A batch that takes over four times the target halves the size (the
 * heartbeat timeout is a minute, and each batch heartbeats between its three deletes); fast
 * batches grow it back. Few, large batches matter on FerretDB v1: it finds the owner's files
 * through the index but applies `size` and `limit` itself, so each batch reads every file of
 * the owner that is left. On MongoDB batch size hardly matters.
 */
const BATCH = { min: 100, max: 5_000, targetMs: 5_000 };

/** Of the GridFS files, multi-chunk ones go first: they free the most space soonest. */
const GRIDFS_CHUNK = 255 * 1024;
const PASSES = [{ $gt: GRIDFS_CHUNK }, { $lte: GRIDFS_CHUNK }];

/**
 * Purges every file matching `filter` (bytes and metadata), heartbeating the counts. `filter`
 * selects by plain equality (owner, hub) and never by size.
 *
 * Inline files (most small files) go first, a purge slot per command (purge-inline.ts): they
 * are one document each, so that is one `deleteMany` per batch. Then the files in GridFS
 * (large ones, and small ones stored before inline storage existed), pass by pass, batch by
 * batch. Per GridFS batch the order is chunks, then GridFS file documents, then the metadata.
 * The metadata holds the only pointer to a blob, so it goes last: a crash anywhere in a batch
 * leaves its metadata in place, and the retried attempt selects the same files again and
 * finishes them (deleting what is already gone is a no-op). A crash can therefore never
 * orphan a chunk; metadata left pointing at a deleted blob exists only until the retry.
 *
 * No position needs to be remembered: a purged file no longer matches, so "the next batch"
 * is simply any batch of what still matches (unsorted, which on FerretDB also spares an
 * in-memory sort of the whole remainder per batch). What the heartbeat carries is the
 * count: on resume, purged = total at the first attempt − what is left now, so a batch
 * finished just before a crash (but after the last heartbeat) is counted exactly once.
 */
export async function purgeFiles(
  filter: QueryFilter<FileMeta>,
  onProgress: (p: PurgeCheckpoint) => Promise<void> = async () => undefined,
): Promise<PurgeCheckpoint> {
  const ctx = Context.current();
  const left = await tally(filter);
  const saved = ctx.info.heartbeatDetails as PurgeCheckpoint | undefined;
  const total = Math.max(saved?.total ?? 0, left.count);
  const totalBytes = Math.max(saved?.totalBytes ?? 0, left.bytes);
  const cp: PurgeCheckpoint = { total, totalBytes, purged: total - left.count, bytes: totalBytes - left.bytes };
  ctx.heartbeat(cp);
  await onProgress(cp);
  const cancelled = () => {
    if (ctx.cancellationSignal.aborted) throw new CancelledFailure(String(ctx.cancellationSignal.reason ?? 'cancelled'));
  };

  // Progress is reported after each GridFS batch, at most once a second in the inline pass
  // (up to 64 quick batches), and at the end.
  let reported = { at: Date.now(), purged: cp.purged };
  const report = async (throttled = false) => {
    if (cp.purged === reported.purged || (throttled && Date.now() - reported.at < 1_000)) return;
    reported = { at: Date.now(), purged: cp.purged };
    await onProgress(cp);
  };

  await purgeInlineFiles(filter, left.count, async (files) => {
    cp.purged += files;
    ctx.heartbeat(cp);
    cancelled();
    await report(true);
  });
  // A deleteMany does not say how many bytes went: what is left does (one read of the
  // GridFS files' metadata, which the next pass reads anyway).
  if (cp.purged > total - left.count) cp.bytes = Math.max(cp.bytes, totalBytes - (await tally(filter)).bytes);

  const db = mongoose.connection.db!;
  const chunks = db.collection(`${BLOB_BUCKET}.chunks`);
  const blobs = db.collection(`${BLOB_BUCKET}.files`);
  const cap = Math.min(BATCH.max, Math.max(BATCH.min, Math.ceil(total / 5)));
  let batchSize = cap;
  for (let pass = 0; pass < PASSES.length;) {
    const started = Date.now();
    cancelled();
    // Top-level equality only, so FerretDB pushes the filter down to an index.
    const batch = await FileModel.find({ ...filter, size: PASSES[pass] }, { _id: 1, blobId: 1, size: 1 })
      .limit(batchSize)
      .lean();
    if (batch.length === 0) {
      pass++;
      continue;
    }
    // A file uploaded inline after the inline pass has no blob: only its metadata goes.
    const blobIds = batch.flatMap((f) => (f.blobId ? [f.blobId] : []));
    await deleteEach(chunks, 'files_id', blobIds);
    ctx.heartbeat(cp);
    await deleteEach(blobs, '_id', blobIds);
    ctx.heartbeat(cp);
    const deletedCount = await deleteEach(
      FileModel.collection,
      '_id',
      batch.map((f) => f._id),
    );
    cp.purged += deletedCount;
    cp.bytes += batch.reduce((sum, f) => sum + f.size, 0);
    ctx.heartbeat(cp);
    await report();
    // A short batch was the rest of this pass: one query fewer than asking again.
    if (batch.length < batchSize) pass++;
    batchSize = nextBatchSize(batchSize, Date.now() - started, cap);
  }
  await report();
  // The final count is the truth of what is gone; files added mid-purge raise the total.
  cp.total = Math.max(cp.total, cp.purged);
  cp.totalBytes = Math.max(cp.totalBytes, cp.bytes);
  return cp;
}

/**
 * Deletes the documents whose `field` is one of `values`: one indexed statement per value (an
 * `$in` would scan on FerretDB), sent as a few bulk commands at once, since FerretDB runs the
 * statements of one command one after another.
 */
const PARALLEL = 4;
async function deleteEach(coll: mongoose.mongo.Collection, field: string, values: unknown[]): Promise<number> {
  const share = Math.ceil(values.length / PARALLEL);
  const parts = Array.from({ length: PARALLEL }, (_, k) => values.slice(k * share, (k + 1) * share)).filter((p) => p.length);
  const results = await Promise.all(
    parts.map((part) =>
      coll.bulkWrite(
        part.map((v) => ({ deleteMany: { filter: { [field]: v } } })),
        { ordered: false },
      ),
    ),
  );
  return results.reduce((n, r) => n + r.deletedCount, 0);
}

function nextBatchSize(size: number, tookMs: number, cap: number): number {
  if (tookMs < BATCH.targetMs) return Math.min(cap, size * 2);
  if (tookMs > BATCH.targetMs * 4) return Math.max(BATCH.min, Math.floor(size / 2));
  return size;
}

/** Count and bytes as two queries: FerretDB v1 answers 0 for a second `$sum` in one `$group`. */
async function tally(filter: QueryFilter<FileMeta>): Promise<{ count: number; bytes: number }> {
  const [count, [sum]] = await Promise.all([
    FileModel.countDocuments(filter),
    FileModel.aggregate<{ bytes: number }>([{ $match: filter }, { $group: { _id: null, bytes: { $sum: '$size' } } }]),
  ]);
  return { count, bytes: sum?.bytes ?? 0 };
}
