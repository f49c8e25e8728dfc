import { AuditChainHeadModel, AuditEventModel } from '../models';
import { GENESIS_HASH, linkKey } from './hash';

/** The last event of a chain: its position and hash (seq 0 and the genesis hash when empty). */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const EMPTY_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

const isDuplicateKey = (err: unknown) => (err as { code?: number })?.code === 11000;

const eventAt = (chain: string, seq: number) => AuditEventModel.findOne({ link: linkKey(chain, seq) }, { seq: 1, hash: 1 }).lean();

/**
 * From a known position, finds where the chain ends now, by its unique links. Positions are
 * taken without gaps, so a galloping search (1, 2, 4, ... ahead, then halving) needs about
 * 2·log2(distance) look-ups: another process may have appended hundreds meanwhile. An appender
 * that has just lost `from.seq + 1` says so (`nextTaken`), which saves a look-up, and the event
 * found last is not read twice: another process's single event then costs two look-ups, not four.
 */
export async function walkForward(
  chain: string,
  from: ChainHead,
  opts: { nextTaken?: boolean } = {},
): Promise<{ head: ChainHead; steps: number }> {
  let found = opts.nextTaken ? from.seq + 1 : from.seq;
  /** The event at `found`, once read. */
  let read: ChainHead | undefined = opts.nextTaken ? undefined : from;
  let missing: number | undefined;
  const probe = async (seq: number) => {
    const event = await eventAt(chain, seq);
    if (event) [found, read] = [seq, { seq: event.seq!, hash: event.hash! }];
    return Boolean(event);
  };
  for (let step = 1; missing === undefined; step *= 2) if (!(await probe(found + step))) missing = found + step;
  while (missing - found > 1) {
    const mid = Math.floor((found + missing) / 2);
    if (!(await probe(mid))) missing = mid;
  }
  if (found === from.seq) return { head: from, steps: 0 };
  // Not there after all (the caller's duplicate was another key): walk without the hint.
  if (!read && !(await probe(found))) return walkForward(chain, from);
  return { head: read!, steps: found - from.seq };
}

/** Where a chain ends: the stored hint, then a walk to the real end. */
export async function readHead(chain: string): Promise<ChainHead> {
  const hint = await readHint(chain);
  const { head, steps } = await walkForward(chain, hint ?? EMPTY_HEAD);
  if (steps > 0) await saveHint(chain, head);
  return head;
}

export async function readHint(chain: string): Promise<ChainHead | undefined> {
  const hint = await AuditChainHeadModel.findById(chain).lean();
  return hint ? { seq: hint.seq, hash: hint.hash } : undefined;
}

/** Moves the hint forward (never back, on MongoDB; on FerretDB a racing writer may undo it, which is harmless). */
export async function saveHint(chain: string, head: ChainHead): Promise<void> {
  try {
    await AuditChainHeadModel.updateOne({ _id: chain, seq: { $lt: head.seq } }, { $set: head }, { upsert: true });
  } catch (err) {
    // The upsert collided with a hint already at or past this position: nothing to do.
    if (!isDuplicateKey(err)) throw err;
  }
}
