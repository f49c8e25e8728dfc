import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { blobBucket } from '../db';
import { payloadTooLarge } from '../errors';

/**
 * File bytes in the GridFS bucket `blobs`, streamed in and out: nothing is buffered beyond
 * one chunk, and a blob either completes or leaves nothing behind.
 */

export interface StoredBlob {
  id: mongoose.Types.ObjectId;
  size: number;
}

type Upload = mongoose.mongo.GridFSBucketWriteStream;

/**
 * Streams `source` into a new blob. Over `maxBytes` the upload fails with 413 as soon as the
 * limit is crossed (not after reading everything); on any failure (limit, a client that went
 * away, a database error) the partial blob is removed before the error is rethrown.
 */
export async function writeBlob(source: Readable, opts: { filename: string; contentType: string; maxBytes: number }): Promise<StoredBlob> {
  const upload = blobBucket().openUploadStream(opts.filename, { metadata: { contentType: opts.contentType } });
  const meter = byteLimit(opts.maxBytes);
  try {
    await pipeline(source, meter, upload);
  } catch (err) {
    await discard(upload);
    throw err;
  }
  return { id: upload.id, size: meter.bytes };
}

export function openBlob(id: mongoose.Types.ObjectId): mongoose.mongo.GridFSBucketReadStream {
  return blobBucket().openDownloadStream(id);
}

/** Removes a blob's chunks and file document; a no-op for a blob that is already gone. */
export async function deleteBlob(id: mongoose.Types.ObjectId): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('MongoDB is not connected');
  await db.collection('blobs.chunks').deleteMany({ files_id: id });
  await db.collection('blobs.files').deleteOne({ _id: id });
}

/**
 * abort() deletes the chunks written so far, but a chunk insert already in flight can land
 * after that delete; so wait for the stream's outstanding inserts, then sweep once more.
 */
async function discard(upload: Upload): Promise<void> {
  if (!upload.state.aborted && !upload.state.streamEnd) await upload.abort().catch(() => undefined);
  for (let i = 0; i < 500 && upload.state.outstandingRequests > 0; i++) await sleep(10);
  await deleteBlob(upload.id);
}

function byteLimit(maxBytes: number): Transform & { bytes: number } {
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      meter.bytes += chunk.length;
      if (meter.bytes > maxBytes) return done(payloadTooLarge(`The file is larger than the ${formatBytes(maxBytes)} upload limit.`));
      done(null, chunk);
    },
  }) as Transform & { bytes: number };
  meter.bytes = 0;
  return meter;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) [value, unit] = [value / 1024, unit + 1];
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
