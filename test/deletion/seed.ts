import { randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { BLOB_BUCKET, FileModel, UserModel, type UserKind } from '../../lib/models';

/** GridFS's default chunk size: seeded blobs are laid out exactly like uploaded ones. */
const CHUNK = 255 * 1024;

export async function createUser(email: string, fields: { kind?: UserKind; tenantId?: string; isStaff?: boolean; tenantAdminOf?: string[]; passwordHash?: string; displayName?: string } = {}) {
  return UserModel.create({ email, displayName: email.split('@')[0], emailConfirmedAt: new Date(), ...fields });
}

/**
 * Inserts `count` files of `size` random bytes for `ownerId`, straight into the GridFS
 * collections (chunk layout as `openUploadStream` writes it) and the File metadata, in bulk:
 * thousands of files in seconds. Returns the file metadata IDs.
 */
export async function seedFiles(
  ownerId: Types.ObjectId | string,
  opts: { count: number; size: number; hubId?: Types.ObjectId; sharedWith?: Types.ObjectId[]; prefix?: string },
): Promise<Types.ObjectId[]> {
  const db = mongoose.connection.db!;
  const blobs = db.collection(`${BLOB_BUCKET}.files`);
  const chunks = db.collection(`${BLOB_BUCKET}.chunks`);
  await chunks.createIndex({ files_id: 1, n: 1 }, { unique: true });
  await blobs.createIndex({ filename: 1, uploadDate: 1 });
  const ids: Types.ObjectId[] = [];
  const batch = Math.max(1, Math.min(500, Math.floor((8 * 1024 * 1024) / opts.size)));
  for (let start = 0; start < opts.count; start += batch) {
    const n = Math.min(batch, opts.count - start);
    const files = Array.from({ length: n }, (_, i) => ({ blobId: new Types.ObjectId(), name: `${opts.prefix ?? 'file'}-${start + i}.bin` }));
    await blobs.insertMany(files.map((f) => ({ _id: f.blobId, length: opts.size, chunkSize: CHUNK, uploadDate: new Date(), filename: f.name, metadata: { contentType: 'application/octet-stream' } })));
    await chunks.insertMany(files.flatMap((f) => blobChunks(f.blobId, opts.size)));
    const metas = await FileModel.insertMany(
      files.map((f) => ({ ownerId, hubId: opts.hubId, name: f.name, size: opts.size, blobId: f.blobId, sharedWith: opts.sharedWith ?? [] })),
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
