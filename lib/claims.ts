import { ClaimModel } from './models/claim';
import { insertEachOnce } from './bulk-writes';
import { groupCommit } from './group-commit';

/**
 * "Exactly once" without transactions, on FerretDB v1 as on MongoDB.
 *
 * Why not a conditional update (`findOneAndUpdate({ status: 'pending' }, ...)`)? On MongoDB that
 * is atomic, but FerretDB v1 (SQLite backend) applies it as read → modify → write without
 * isolation: 4 concurrent claims of one pending document let 2–4 of them win (measured on
 * v1.24.2, 20 rounds: 24 extra winners). A unique-index insert is atomic on both (measured: 0
 * extra winners), so every single-use transition claims its key here first, then updates.
 */
const DAY = 24 * 60 * 60 * 1000;

const isDuplicateKey = (err: unknown) => (err as { code?: number })?.code === 11000;

/** True for the one caller that claims `key` first; false for everyone after. */
export async function claimOnce(key: string, keepForMs = 30 * DAY): Promise<boolean> {
  try {
    await ClaimModel.create({ key, expiresAt: new Date(Date.now() + keepForMs) });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * Claims `key` for `ttlMs` unless an earlier claim of it is still unexpired: a claim that
 * lapses by itself (locks, "at most once per window" alarms). An expired claim is cleared
 * first; racing callers then compete for the fresh one, and exactly one wins.
 */
export async function claimUnlessFresh(key: string, ttlMs: number): Promise<boolean> {
  await ClaimModel.deleteOne({ key, expiresAt: { $lt: new Date() } });
  return claimOnce(key, ttlMs);
}

/**
 * Several claims in one command (one insert of several rows, each on its own): for each key,
 * whether this caller claimed it. The caller learns which keys were taken before. Claims made
 * at the same time go together (lib/group-commit.ts): every sign-in claims its assertion and
 * request IDs. Two callers claiming one key in the same insert still get one winner: the rows
 * are inserted one by one against the unique index.
 */
export async function claimAll(claims: { key: string; expiresAt: Date }[]): Promise<boolean[]> {
  const at = new Date();
  return claimTogether(
    ClaimModel.db.name,
    claims.map((c) => ({ key: c.key, at, expiresAt: c.expiresAt })),
  );
}

/** An insert takes any number of rows on FerretDB (lib/bulk-writes.ts); this bounds one command's size. */
const CLAIMS_PER_COMMAND = 200;

const claimTogether = groupCommit(async (callers: { key: string; at: Date; expiresAt: Date }[][]) => {
  // Straight to the driver: the rows are already the schema's shape, and this is on every sign-in's path.
  const inserted = await insertEachOnce(ClaimModel.collection, callers.flat());
  let next = 0;
  return callers.map((rows) => inserted.slice(next, (next += rows.length)));
}, CLAIMS_PER_COMMAND);

/** Gives a claim back, e.g. when the work it guarded failed and may be retried. */
export async function releaseClaim(key: string): Promise<void> {
  await ClaimModel.deleteOne({ key });
}

/**
 * Runs `fn` while holding a short lock on `key` (a claim that expires), waiting up to
 * `waitMs` for another holder. For read-check-write sequences over one document, such as
 * "demote an owner unless it is the last one".
 */
export async function withLock<T>(key: string, fn: () => Promise<T>, opts: { ttlMs?: number; waitMs?: number } = {}): Promise<T> {
  const { ttlMs = 30_000, waitMs = 10_000 } = opts;
  const lockKey = `lock:${key}`;
  const deadline = Date.now() + waitMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    // A holder that crashed left an expired lock: it is cleared, then we race for a fresh one.
    if (await claimUnlessFresh(lockKey, ttlMs)) break;
    if (Date.now() > deadline) throw new Error(`lock ${key} is busy; try again`);
    await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
  }
  try {
    return await fn();
  } finally {
    await releaseClaim(lockKey);
  }
}
