import { randomBytes, randomInt } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { BLOB_BUCKET, FileModel, INLINE_MAX_BYTES, PURGE_SLOTS } from '../../lib/models';

/** GridFS's default chunk size: seeded blobs are laid out exactly like uploaded ones. */
const CHUNK = 255 * 1024;

/**
 * Inserts `count` files of `size` random bytes for `ownerId` (plus, spread evenly among
 * them, `large.count` files of `large.size`), stored as an upload stores them (inline up to
 * INLINE_MAX_BYTES, else in GridFS with the chunk layout `openUploadStream` writes), in bulk:
 * thousands of files in seconds. `layout: 'gridfs'` stores every file in GridFS, as uploads
 * were stored before inline files existed. Returns the file metadata IDs in upload order.
 */
export async function seedFiles(
  ownerId: Types.ObjectId | string,
  opts: {
    count: number;
    size: number;
    large?: { count: number; size: number };
    hubId?: Types.ObjectId;
    sharedWith?: Types.ObjectId[];
    prefix?: string;
    layout?: 'gridfs';
  },
): Promise<Types.ObjectId[]> {
  const db = mongoose.connection.db!;
  const blobs = db.collection(`${BLOB_BUCKET}.files`);
  const chunks = db.collection(`${BLOB_BUCKET}.chunks`);
  await chunks.createIndex({ files_id: 1, n: 1 }, { unique: true });
  const large = opts.large ?? { count: 0, size: 0 };
  const every = large.count ? Math.max(1, Math.floor(opts.count / large.count)) : Infinity;
  const sizes: number[] = [];
  for (let i = 0, l = 0; i < opts.count || l < large.count; i++) {
    if (i < opts.count) sizes.push(opts.size);
    if (l < large.count && ((i + 1) % every === 0 || i >= opts.count)) {
      sizes.push(large.size);
      l++;
    }
  }
  const ids: Types.ObjectId[] = [];
  for (let start = 0; start < sizes.length;) {
    let bytes = 0;
    const files: { blobId?: Types.ObjectId; name: string; size: number }[] = [];
    while (start < sizes.length && files.length < 500 && bytes < 8 * 1024 * 1024) {
      const inline = sizes[start] <= INLINE_MAX_BYTES && opts.layout !== 'gridfs';
      files.push({ blobId: inline ? undefined : new Types.ObjectId(), name: `${opts.prefix ?? 'file'}-${start}.bin`, size: sizes[start] });
      bytes += sizes[start++];
    }
    const inGridfs = files.filter((f): f is typeof f & { blobId: Types.ObjectId } => Boolean(f.blobId));
    if (inGridfs.length)
      await blobs.insertMany(
        inGridfs.map((f) => ({
          _id: f.blobId,
          length: f.size,
          chunkSize: CHUNK,
          uploadDate: new Date(),
          filename: f.name,
          metadata: { contentType: 'application/octet-stream' },
        })),
      );
    if (inGridfs.length) await chunks.insertMany(inGridfs.flatMap((f) => blobChunks(f.blobId, f.size)));
    const metas = await FileModel.insertMany(
      files.map((f) => ({
        ownerId,
        hubId: opts.hubId,
        name: f.name,
        size: f.size,
        ...(f.blobId ? { blobId: f.blobId } : { data: randomBytes(f.size), purgeSlot: randomInt(PURGE_SLOTS) }),
        sharedWith: opts.sharedWith ?? [],
      })),
      { lean: true },
    );
    ids.push(...metas.map((m) => m._id as Types.ObjectId));
  }
  return ids;
}

function blobChunks(filesId: Types.ObjectId, size: number) {
  const out = [];
  for (let n = 0; n * CHUNK < size; n++) {
    out.push({ files_id: filesId, n, data: new mongoose.mongo.Binary(randomBytes(Math.min(CHUNK, size - n * CHUNK))) });
  }
  return out;
}

/** What is left in the blob store: chunks and file documents, and chunks whose file is gone. */
export async function blobCounts(blobIds?: (Types.ObjectId | null | undefined)[]) {
  const db = mongoose.connection.db!;
  const ids = blobIds?.filter((id) => id != null);
  const chunks = await db.collection(`${BLOB_BUCKET}.chunks`).countDocuments(ids ? { files_id: { $in: ids } } : {});
  const files = await db.collection(`${BLOB_BUCKET}.files`).countDocuments(ids ? { _id: { $in: ids } } : {});
  const liveIds = (await db.collection(`${BLOB_BUCKET}.files`).distinct('_id')) as Types.ObjectId[];
  const orphanChunks = await db.collection(`${BLOB_BUCKET}.chunks`).countDocuments({ files_id: { $nin: liveIds } });
  return { chunks, files, orphanChunks };
}
