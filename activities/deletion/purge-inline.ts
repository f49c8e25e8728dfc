import { type QueryFilter } from 'mongoose';
import { FileModel, PURGE_SLOTS, type FileMeta } from '../../lib/models';

/** Up to this many files left, all inline ones go in one command instead of slot by slot. */
const ONE_BATCH = 500;

/**
 * Purges the inline files (bytes in the metadata document) matching `filter`, one
 * `deleteMany` by plain equality per batch. A batch is one purge slot (`{...filter,
 * purgeSlot: k}`, about 1/64th of the files; FerretDB pushes both equalities down and deletes
 * the batch with one `DELETE … WHERE _id IN (…)`), or every inline file at once when few are
 * left (`filtered` is the count of all files matching `filter`). There is nothing else to
 * delete, so a crash can orphan nothing: a batch is gone or not. `done` gets each batch's count.
 */
export async function purgeInlineFiles(
  filter: QueryFilter<FileMeta>,
  filtered: number,
  done: (files: number) => Promise<void>,
): Promise<void> {
  const batches: QueryFilter<FileMeta>[] =
    filtered <= ONE_BATCH
      ? [{ ...filter, purgeSlot: { $exists: true } }]
      : Array.from({ length: PURGE_SLOTS }, (_, slot) => ({ ...filter, purgeSlot: slot }));
  for (const where of batches) {
    const { deletedCount } = await FileModel.deleteMany(where);
    if (deletedCount) await done(deletedCount);
  }
}
