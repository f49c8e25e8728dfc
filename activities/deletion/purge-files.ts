import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import mongoose, { Types, type QueryFilter } from 'mongoose';
import { BLOB_BUCKET, FileModel, type FileMeta } from '../../lib/models';

/** What the purge heartbeats; a retried attempt starts from the last one the server got. */
export interface PurgeCheckpoint {
  total: number;
  purged: number;
  bytes: number;
  totalBytes: number;
  lastId: string | null;
}

/**
 * Batch size adapts to the database: it starts small (progress shows at once) and doubles
 * while a batch takes under half the target time, halving when one takes over twice that,
 * never above a tenth of the purge (so progress moves in steps of 10 % at most) or `max`.
 * On MongoDB each batch is a few indexed round trips; on FerretDB v1 every multi-document
 * query is a collection scan, so fewer, larger batches are what keeps the purge near the
 * speed of one raw deleteMany.
 */
const BATCH = { min: 100, max: 5_000, targetMs: 2_000 };

/**
 * Purges every file matching `filter` (bytes and metadata) in `_id` order, batch by batch.
 *
 * Per batch the order is GridFS chunks, then GridFS file documents, then the metadata. The
 * metadata holds the only pointer to a blob, so it goes last: a crash anywhere in a batch
 * leaves its metadata in place, and the retried attempt selects the same files again and
 * finishes them (deleting what is already gone is a no-op). A crash can therefore never
 * orphan a chunk; metadata left pointing at a deleted blob exists only until the retry.
 *
 * Counts are derived, not accumulated across attempts: on resume, purged = total at the
 * first attempt − what is left now, so a batch finished just before a crash (but after the
 * last heartbeat) is counted exactly once.
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
  const cp: PurgeCheckpoint = { total, totalBytes, purged: total - left.count, bytes: totalBytes - left.bytes, lastId: saved?.lastId ?? null };
  ctx.heartbeat(cp);
  await onProgress(cp);

  const db = mongoose.connection.db!;
  const chunks = db.collection(`${BLOB_BUCKET}.chunks`);
  const blobs = db.collection(`${BLOB_BUCKET}.files`);
  let batchSize = BATCH.min;
  for (;;) {
    const started = Date.now();
    if (ctx.cancellationSignal.aborted) throw new CancelledFailure(String(ctx.cancellationSignal.reason ?? 'cancelled'));
    const after = cp.lastId ? { _id: { $gt: new Types.ObjectId(cp.lastId) } } : {};
    const batch = await FileModel.find({ $and: [filter, after] }, { _id: 1, blobId: 1, size: 1 }).sort({ _id: 1 }).limit(batchSize).lean();
    if (batch.length === 0) {
      // One pass from the start catches a file whose _id sorts before the cursor.
      if (cp.lastId === null || !(await FileModel.exists(filter))) break;
      cp.lastId = null;
      continue;
    }
    const blobIds = batch.map((f) => f.blobId);
    await chunks.deleteMany({ files_id: { $in: blobIds } });
    await blobs.deleteMany({ _id: { $in: blobIds } });
    const { deletedCount } = await FileModel.deleteMany({ _id: { $in: batch.map((f) => f._id) } });
    cp.purged += deletedCount;
    cp.bytes += batch.reduce((sum, f) => sum + f.size, 0);
    cp.lastId = String(batch[batch.length - 1]._id);
    ctx.heartbeat(cp);
    await onProgress(cp);
    batchSize = nextBatchSize(batchSize, Date.now() - started, Math.ceil(cp.total / 10));
  }
  // The final count is the truth of what is gone; files added mid-purge raise the total.
  cp.total = Math.max(cp.total, cp.purged);
  cp.totalBytes = Math.max(cp.totalBytes, cp.bytes);
  return cp;
}

function nextBatchSize(size: number, tookMs: number, tenth: number): number {
  if (tookMs < BATCH.targetMs / 2) return Math.min(BATCH.max, Math.max(BATCH.min, tenth), size * 2);
  if (tookMs > BATCH.targetMs * 2) return Math.max(BATCH.min, Math.floor(size / 2));
  return size;
}

async function tally(filter: QueryFilter<FileMeta>): Promise<{ count: number; bytes: number }> {
  const [row] = await FileModel.aggregate<{ count: number; bytes: number }>([
    { $match: filter },
    { $group: { _id: null, count: { $sum: 1 }, bytes: { $sum: '$size' } } },
  ]);
  return { count: row?.count ?? 0, bytes: row?.bytes ?? 0 };
}
