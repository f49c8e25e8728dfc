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
  /** Index into PASSES, and the last `_id` purged in that pass. */
  pass: number;
  lastId: string | null;
}

/**
 * Batch size adapts to the database: it starts small (progress shows at once) and doubles
 * while a batch takes under the target time, halving when one takes over four times that
 * (well inside the heartbeat timeout), never above a tenth of the purge (progress moves in
 * steps of 10 % at most) or `max`.
 * On MongoDB each batch is a few indexed round trips; on FerretDB v1 every multi-document
 * query is a collection scan, so fewer, larger batches are what keeps the purge near the
 * speed of one raw deleteMany.
 */
const BATCH = { min: 100, max: 5_000, targetMs: 3_000 };

/**
 * Multi-chunk files go first: they free the most space soonest, and on a store that scans
 * (FerretDB v1) every later query no longer has to read their chunks.
 */
const GRIDFS_CHUNK = 255 * 1024;
const PASSES: QueryFilter<FileMeta>[] = [{ size: { $gt: GRIDFS_CHUNK } }, { size: { $lte: GRIDFS_CHUNK } }];

/**
 * Purges every file matching `filter` (bytes and metadata), pass by pass, in `_id` order
 * within a pass, batch by batch; the checkpoint (pass + last `_id`) is heartbeated.
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
  const cp: PurgeCheckpoint = {
    total,
    totalBytes,
    purged: total - left.count,
    bytes: totalBytes - left.bytes,
    pass: saved?.pass ?? 0,
    lastId: saved?.lastId ?? null,
  };
  ctx.heartbeat(cp);
  await onProgress(cp);

  const db = mongoose.connection.db!;
  const chunks = db.collection(`${BLOB_BUCKET}.chunks`);
  const blobs = db.collection(`${BLOB_BUCKET}.files`);
  let batchSize = BATCH.min;
  for (;;) {
    while (cp.pass < PASSES.length) {
      const started = Date.now();
      if (ctx.cancellationSignal.aborted) throw new CancelledFailure(String(ctx.cancellationSignal.reason ?? 'cancelled'));
      const after = cp.lastId ? [{ _id: { $gt: new Types.ObjectId(cp.lastId) } }] : [];
      const batch = await FileModel.find({ $and: [filter, PASSES[cp.pass], ...after] }, { _id: 1, blobId: 1, size: 1 })
        .sort({ _id: 1 })
        .limit(batchSize)
        .lean();
      if (batch.length === 0) {
        [cp.pass, cp.lastId] = [cp.pass + 1, null];
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
    // A file whose _id sorted before a cursor (added mid-purge): go round once more.
    if (!(await FileModel.exists(filter))) break;
    [cp.pass, cp.lastId] = [0, null];
  }
  // The final count is the truth of what is gone; files added mid-purge raise the total.
  cp.total = Math.max(cp.total, cp.purged);
  cp.totalBytes = Math.max(cp.totalBytes, cp.bytes);
  return cp;
}

function nextBatchSize(size: number, tookMs: number, tenth: number): number {
  if (tookMs < BATCH.targetMs) return Math.min(BATCH.max, Math.max(BATCH.min, tenth), size * 2);
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
