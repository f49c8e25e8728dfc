import mongoose from 'mongoose';
import { AuditEventModel } from '../models';
import { BUCKET_SIZE, bucketKey, chainOf, eventHash, linkKey, STORED_WITHIN_MS, type ChainedFields } from './hash';
import { readHead, saveHint, walkForward, type ChainHead } from './heads';
import { bucketSpan, isFullBucket, writePageSoon } from './pages';
import { readStoredBucket } from './read';

/**
 * Appending to a hash chain while several web and worker processes append at once.
 *
 * A position is taken by inserting the event with its unique `link` (`<chain>:<seq>`): a unique
 * insert is atomic on FerretDB as on MongoDB, so two appenders can never both take seq n, and
 * each event's `prevHash` is that of the one event at n-1. An appender that loses a position
 * (duplicate key) walks forward to the new end and links again.
 *
 * Within a process, appends to one chain are queued and written together (group commit, one
 * ordered `insertMany`), so concurrent requests do not collide with each other and the
 * common case costs one insert, as before the chain. The process remembers each chain's
 * head; only a collision with another process costs look-ups.
 *
 * The writer also keeps the events it stored of the bucket being filled: when it fills the
 * bucket itself, its page (lib/audit-chain/pages.ts) is written from memory; when another
 * process wrote some of it, the page is written from the stored events.
 */
export type NewAuditEvent = Omit<ChainedFields, 'seq' | 'prevHash'>;

const MAX_BATCH = 200;
/** A chain's head hint is saved whenever its seq crosses a multiple of this. */
const HINT_EVERY = 32;
/** Collisions in a row before giving up (each one means another process appended meanwhile). */
const MAX_ATTEMPTS = 50;

interface Pending {
  event: NewAuditEvent;
  /** Its `_id` was given (an event recorded at most once), so a duplicate key may be that `_id`. */
  atMostOnce: boolean;
  resolve(): void;
  reject(err: unknown): void;
}

class ChainWriter {
  private head?: ChainHead;
  /** The events this writer stored, in order, of the bucket it is filling. */
  private filling: { seq: number }[] = [];
  private queue: Pending[] = [];
  private draining = false;

  constructor(private readonly chain: string) {}

  append(event: NewAuditEvent, atMostOnce: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, atMostOnce, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.write(batch);
      } catch (err) {
        // Unknown state (e.g. a lost connection): forget the head, fail what was not written.
        this.head = undefined;
        for (const p of batch) p.reject(err);
      }
    }
    this.draining = false;
  }

  private async write(batch: Pending[]): Promise<void> {
    let pending = batch;
    for (let attempt = 1; pending.length; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`audit chain ${this.chain}: no free position after ${MAX_ATTEMPTS} attempts`);
      const start = this.head ?? (await readHead(this.chain));
      restampLate(pending);
      const docs = linkFrom(
        this.chain,
        start,
        pending.map((p) => p.event),
      );
      const { written, duplicate } = await insertInOrder(docs);
      if (written > 0) {
        const last = docs[written - 1];
        this.head = { seq: last.seq, hash: last.hash };
        this.keepForPage(docs.slice(0, written));
        for (const p of pending.slice(0, written)) p.resolve();
        if (Math.floor(start.seq / HINT_EVERY) !== Math.floor(last.seq / HINT_EVERY)) await saveHint(this.chain, this.head);
      }
      pending = pending.slice(written);
      if (!pending.length) break;
      // A duplicate `_id` (an at-most-once event recorded before) is that event's answer, not a
      // lost position: it is settled and the rest are linked again. A generated `_id` is never a
      // duplicate (FerretDB's error does not name the index), so then the position was taken.
      const refused = pending[0].atMostOnce ? await AuditEventModel.findById(pending[0].event._id, { at: 1, action: 1 }).lean() : null;
      if (refused) {
        const ours = +refused.at === +pending[0].event.at && refused.action === pending[0].event.action;
        if (ours) pending[0].resolve();
        else pending[0].reject(duplicate);
        pending = pending.slice(1);
      }
      this.head = (await walkForward(this.chain, this.head ?? start, { nextTaken: !refused })).head;
    }
  }

  private keepForPage(stored: { seq: number }[]): void {
    for (const doc of stored) {
      const bucket = Math.floor(doc.seq / BUCKET_SIZE);
      const previous = this.filling[this.filling.length - 1];
      if (!previous || previous.seq !== doc.seq - 1 || Math.floor(previous.seq / BUCKET_SIZE) !== bucket) this.filling = [];
      this.filling.push(doc);
      if (doc.seq !== bucketSpan(bucket).last) continue;
      const events = this.filling;
      this.filling = [];
      writePageSoon(this.chain, bucket, async () => (isFullBucket(bucket, events) ? events : readStoredBucket(this.chain, bucket)));
    }
  }
}

/**
 * An event that waited in the queue (or through collisions) for half of STORED_WITHIN_MS takes
 * the time it is linked as its `at`: time order and chain order then never differ by more than
 * that bound, which searches reading a chain newest first rely on (lib/audit-search-chain.ts).
 */
function restampLate(pending: Pending[]): void {
  const now = Date.now();
  for (const p of pending) if (now - +p.event.at > STORED_WITHIN_MS / 2) p.event = { ...p.event, at: new Date(now) };
}

/** Gives each event the next position after `head`, its bucket and its hashes. */
function linkFrom(chain: string, head: ChainHead, events: NewAuditEvent[]) {
  let prev = head;
  return events.map((event) => {
    const seq = prev.seq + 1;
    const linked = { ...event, seq, prevHash: prev.hash };
    const doc = { ...linked, link: linkKey(chain, seq), bucket: bucketKey(chain, seq), hash: eventHash(linked) };
    prev = { seq, hash: doc.hash };
    return doc;
  });
}

/** Inserts in order; how many were written before a duplicate key (a taken position or `_id`) stopped it. */
async function insertInOrder(docs: object[]): Promise<{ written: number; duplicate?: unknown }> {
  try {
    await AuditEventModel.collection.insertMany(docs, { ordered: true });
    return { written: docs.length };
  } catch (err) {
    const first = ([] as { code?: number; index: number }[]).concat((err as { writeErrors?: never }).writeErrors ?? [])[0];
    if (first?.code !== 11000) throw err;
    return { written: first.index, duplicate: err };
  }
}

const writers = new Map<string, ChainWriter>();

/** Appends an event to its tenancy's chain; resolves once it is stored. `atMostOnce`: its `_id` was given, not generated. */
export function appendToChain(event: NewAuditEvent, atMostOnce = false): Promise<void> {
  const chain = chainOf(event.tenantId);
  // Keyed by database too: a process (a test) may use several.
  const key = `${mongoose.connection.name}/${chain}`;
  let writer = writers.get(key);
  if (!writer) writers.set(key, (writer = new ChainWriter(chain)));
  return writer.append(event, atMostOnce);
}
