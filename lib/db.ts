import mongoose from 'mongoose';
import './models';

/**
 * One mongoose connection per process (the default one), shared by web and activities.
 * Only single-document atomic operations are used anywhere: FerretDB v1 (dev/tests) has no
 * multi-document transactions, and Temporal carries consistency across documents.
 */
export async function connectDb(mongoUrl: string, options: mongoose.ConnectOptions = {}): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  await mongoose.connect(mongoUrl, { serverSelectionTimeoutMS: 10_000, ...options });
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  return mongoose;
}

export function disconnectDb(): Promise<void> {
  return mongoose.disconnect();
}

export function blobBucket(): mongoose.mongo.GridFSBucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error('MongoDB is not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: 'blobs' });
}
