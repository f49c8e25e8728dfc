import mongoose from 'mongoose';
import { ensureExpiryIndexes } from './expiry';
import { BLOB_BUCKET } from './models';
import { retryTransientReads } from './read-retry';

/**
 * One mongoose connection per process (the default one), shared by web and activities.
 * Only single-document atomic operations are used anywhere: FerretDB v1 (dev/tests) has no
 * multi-document transactions, and Temporal carries consistency across documents.
 */
export async function connectDb(mongoUrl: string, options: mongoose.ConnectOptions = {}): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  retryTransientReads();
  await mongoose.connect(mongoUrl, { serverSelectionTimeoutMS: 10_000, ...options });
  await Promise.all([...Object.values(mongoose.models).map((m) => m.init()), ensureBlobIndexes()]);
  await ensureExpiryIndexes();
  return mongoose;
}

/**
 * The indexes the GridFS driver makes, made here at start: the driver creates them only on
 * its first upload into an *empty* bucket, so a restored or bulk-loaded bucket would lack
 * them and every download and purge would scan the chunks.
 */
async function ensureBlobIndexes(): Promise<void> {
  const db = mongoose.connection.db!;
  await Promise.all([
    db.collection(`${BLOB_BUCKET}.files`).createIndex({ filename: 1, uploadDate: 1 }),
    db.collection(`${BLOB_BUCKET}.chunks`).createIndex({ files_id: 1, n: 1 }, { unique: true }),
  ]);
}

export function disconnectDb(): Promise<void> {
  return mongoose.disconnect();
}

export function blobBucket(): mongoose.mongo.GridFSBucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error('MongoDB is not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: BLOB_BUCKET });
}
