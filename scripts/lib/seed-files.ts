import { randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { BLOB_BUCKET, FileModel } from '../../lib/models';

/** GridFS's default chunk size: seeded blobs are laid out exactly like uploaded ones. */
const CHUNK = 255 * 1024;

/**
 * Inserts `count` files of `size` random bytes for `ownerId` (plus, spread evenly among
 * them, `large.count` files of `large.size`), straight into the GridFS collections (chunk
 * layout as `openUploadStream` writes it) and the File metadata, in bulk: thousands of
 * files in seconds. Returns the file metadata IDs in upload order.
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
    const files: { blobId: Types.ObjectId; name: string; size: number }[] = [];
    while (start < sizes.length && files.length < 500 && bytes < 8 * 1024 * 1024) {
      files.push({ blobId: new Types.ObjectId(), name: `${opts.prefix ?? 'file'}-${start}.bin`, size: sizes[start] });
      bytes += sizes[start++];
    }
    await blobs.insertMany(
      files.map((f) => ({
        _id: f.blobId,
        length: f.size,
        chunkSize: CHUNK,
        uploadDate: new Date(),
        filename: f.name,
        metadata: { contentType: 'application/octet-stream' },
      })),
    );
    await chunks.insertMany(files.flatMap((f) => blobChunks(f.blobId, f.size)));
    const metas = await FileModel.insertMany(
      files.map((f) => ({ ownerId, hubId: opts.hubId, name: f.name, size: f.size, blobId: f.blobId, sharedWith: opts.sharedWith ?? [] })),
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
export async function blobCounts(blobIds?: Types.ObjectId[]) {
  const db = mongoose.connection.db!;
  const filter = blobIds ? { files_id: { $in: blobIds } } : {};
  const chunks = await db.collection(`${BLOB_BUCKET}.chunks`).countDocuments(filter);
  const files = await db.collection(`${BLOB_BUCKET}.files`).countDocuments(blobIds ? { _id: { $in: blobIds } } : {});
  const liveIds = (await db.collection(`${BLOB_BUCKET}.files`).distinct('_id')) as Types.ObjectId[];
  const orphanChunks = await db.collection(`${BLOB_BUCKET}.chunks`).countDocuments({ files_id: { $nin: liveIds } });
  return { chunks, files, orphanChunks };
}
