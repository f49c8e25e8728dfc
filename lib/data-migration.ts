import { claimOnce } from './claims';
import { ClaimModel } from './models';

const TEN_YEARS = 10 * 365 * 24 * 60 * 60 * 1000;

/**
 * Runs a data migration of the worker's start (a pass over a whole collection) until it has
 * completed once, then never again: later starts cost one look-up of its claim. `key` names the
 * migration and its version (a new rule, a new key). Safe to run twice at once: the passes are
 * idempotent, and the claim only records that one finished. Returns what `run` returned, or 0.
 */
export async function runDataMigrationOnce(key: string, run: () => Promise<number>): Promise<number> {
  const claim = `data-migration:${key}`;
  if (await ClaimModel.exists({ key: claim })) return 0;
  const done = await run();
  await claimOnce(claim, TEN_YEARS);
  return done;
}
