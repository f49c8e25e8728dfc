import mongoose from 'mongoose';
import { ClaimModel } from './models/claim';
import { HeldSignInModel } from './models/saml-state';
import { RateLimitHitModel } from './models/rate-limit-hit';
import { SessionModel } from './models/session';

/**
 * Everything that expires, and how. On MongoDB each expiry field has a TTL index and the
 * server deletes expired rows itself. FerretDB v1 refuses TTL indexes (code 238), so there the
 * `expiry-sweeper` Temporal Schedule deletes them (workflows/expiry-sweeper.ts); it runs on
 * MongoDB too, where it finds little.
 */
export interface Expiring {
  collection: string;
  /** A Date field: the row is gone once it is in the past. */
  field: string;
}

export const EXPIRING: Expiring[] = [
  { collection: SessionModel.collection.collectionName, field: 'expires' },
  { collection: ClaimModel.collection.collectionName, field: 'expiresAt' },
  { collection: HeldSignInModel.collection.collectionName, field: 'expiresAt' },
  { collection: RateLimitHitModel.collection.collectionName, field: 'expiresAt' },
];

const NOT_IMPLEMENTED = 238;

/**
 * TTL indexes where the server has them. Declared here rather than in the schemas: databases
 * made before have a plain index on the same field, and declaring TTL on it would make index
 * creation fail at start (same key, other options); such an index is converted in place
 * (`collMod`). Returns whether the server expires rows itself.
 */
export async function ensureExpiryIndexes(): Promise<boolean> {
  const db = mongoose.connection.db!;
  let ttl = true;
  for (const { collection, field } of EXPIRING) {
    const coll = db.collection(collection);
    const existing = (await coll.indexes().catch(() => [])).find((i) => Object.keys(i.key).join() === field);
    if (existing?.expireAfterSeconds !== undefined) continue;
    try {
      if (existing) await db.command({ collMod: collection, index: { keyPattern: { [field]: 1 }, expireAfterSeconds: 0 } });
      else await coll.createIndex({ [field]: 1 }, { expireAfterSeconds: 0 });
    } catch (err) {
      if ((err as { code?: number }).code !== NOT_IMPLEMENTED) throw err;
      ttl = false;
    }
  }
  return ttl;
}
