import { randomInt } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { blobBucket } from '../db';
import { payloadTooLarge } from '../errors';
import { INLINE_MAX_BYTES, PURGE_SLOTS } from '../models';

/**
 * File bytes, streamed in and out: up to INLINE_MAX_BYTES they are kept and stored inline in
 * the file's metadata; past that they stream into the GridFS bucket `blobs`, buffering no more
 * than one chunk. Either way a stored file either completes or leaves nothing behind.
 */

/** A file's stored bytes: a GridFS blob (`id`) or, for a small file, the bytes themselves. */
export type StoredBlob = { size: number } & ({ id: mongoose.Types.ObjectId; data?: undefined } | { data: Buffer; id?: undefined });

type Upload = mongoose.mongo.GridFSBucketWriteStream;

/**
 * Streams `source` into storage. Over `maxBytes` the upload fails with 413 as soon as the
 * limit is crossed (not after reading everything); on any failure (limit, a client that went
 * away, a database error) the partial blob is removed before the error is rethrown.
 */
export async function writeBlob(source: Readable, opts: { filename: string; contentType: string; maxBytes: number }): Promise<StoredBlob> {
  const meter = byteLimit(opts.maxBytes);
  let upload: Upload | undefined;
  try {
    return await pipeline(source, meter, async (bytes: AsyncIterable<Buffer>): Promise<StoredBlob> => {
      const it = bytes[Symbol.asyncIterator]();
      const head: Buffer[] = [];
      let size = 0;
      while (size <= INLINE_MAX_BYTES) {
        const next = await it.next();
        if (next.done) return { size, data: Buffer.concat(head) };
        head.push(next.value);
        size += next.value.length;
      }
      upload = blobBucket().openUploadStream(opts.filename, { metadata: { contentType: opts.contentType } });
      await pipeline(Readable.from(rest(head, it)), upload);
      return { size: meter.bytes, id: upload.id };
    });
  } catch (err) {
    if (upload) await discard(upload);
    throw err;
  }
}

async function* rest(head: Buffer[], it: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
}

/** The metadata fields that point at (or hold) the bytes; an inline file gets its purge slot. */
export function storedFields(blob: StoredBlob) {
  return blob.id ? { blobId: blob.id } : { data: blob.data, purgeSlot: randomInt(PURGE_SLOTS) };
}

/** A file's bytes as a stream, whichever way they are stored. */
export function openBlob(file: { blobId?: mongoose.Types.ObjectId | null; data?: Buffer | null }): Readable {
  return file.blobId ? blobBucket().openDownloadStream(file.blobId) : Readable.from([file.data ?? Buffer.alloc(0)]);
}

/** Removes a blob's chunks and file document; a no-op for inline bytes or a blob already gone. */
export async function deleteBlob(id: mongoose.Types.ObjectId | null | undefined): Promise<void> {
  if (!id) return;
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
