import type { mongo } from 'mongoose';

/**
 * Bulk writes in the shapes FerretDB v1.24 on PostgreSQL takes. Its connection pool holds 50:
 * one `update` command carrying more statements than that never returned and stopped the
 * server answering anyone (40 took 0.2 s, 60 hung, measured on a fresh server). Inserts of any
 * size are safe.
 */
export const BULK_STATEMENTS = 25;

/** Runs update statements BULK_STATEMENTS at a time, unordered; how many documents they modified. */
export async function updateInSmallBulks<T extends mongo.Document>(
  collection: mongo.Collection<T>,
  updates: mongo.AnyBulkWriteOperation<T>[],
): Promise<number> {
  let modified = 0;
  for (let i = 0; i < updates.length; i += BULK_STATEMENTS)
    modified += (await collection.bulkWrite(updates.slice(i, i + BULK_STATEMENTS), { ordered: false })).modifiedCount;
  return modified;
}

/**
 * Inserts rows in one command, each on its own (unordered; a model or a collection): for each row, whether this call
 * inserted it (false: a row with its unique key was there already). Any other failure throws.
 */
export async function insertEachOnce<T>(
  into: { insertMany(rows: T[], options: { ordered: false }): Promise<unknown> },
  rows: T[],
): Promise<boolean[]> {
  const inserted = rows.map(() => true);
  try {
    await into.insertMany(rows, { ordered: false });
  } catch (err) {
    const failed = (err as { writeErrors?: { index: number; code?: number; err?: { code?: number } }[] }).writeErrors;
    if (!failed?.length) throw err;
    for (const e of failed) {
      if ((e.code ?? e.err?.code) !== 11000) throw err;
      inserted[e.index] = false;
    }
  }
  return inserted;
}
