import mongoose from 'mongoose';
import { badRequest } from './errors';
import { AuditEventModel } from './models';
import { BUCKET_SIZE, chainOf, STORED_WITHIN_MS } from './audit-chain/hash';
import { readHead } from './audit-chain/heads';
import { readBucket, readBucketWhere, type ChainEvent } from './audit-chain/read';
import { auditMatcher, newerFirst, positionOf, type AuditPosition } from './audit-match';
import type { AuditFilter } from './audit-search';

/**
 * A tenancy's search, newest first, read from its hash chain instead of asking the database to
 * sort: FerretDB pushes down no sort or limit with a filter, so a query reads every match of the
 * tenancy (thousands at a million events) and sorts them in memory. The chain is read bucket by
 * bucket (equality, or one page document per 100 events) down from its head, or from the
 * cursor's bucket, and matched here.
 *
 * Chain order (seq) is storage order; the list's order is (at, _id). An event is stored within
 * STORED_WITHIN_MS of its `at` (the writer restamps one that waited longer), so an event below
 * the buckets read is at most that much later than the oldest event read: once the page's last
 * event is later than that, no unread event can belong on the page, and the page is exactly the
 * database's answer. When the walk would go further than MAX_BUCKETS, or reaches the start of a
 * chain whose tenancy has events from before the chain, it returns null and the caller asks the
 * database.
 */
const MAX_BUCKETS = 50;
const MAX_PARALLEL = 8;

export interface AuditCursor extends AuditPosition {
  seq?: number;
  chain: string;
}

/** The event a page continues from (`before` or `after`); a 400 when there is none. */
export async function cursorEvent(id: string): Promise<AuditCursor> {
  const e = await AuditEventModel.findById(id, { at: 1, seq: 1, tenantId: 1 }).lean();
  if (!e) throw badRequest(`No audit event ${id} to page from.`);
  return { at: e.at, id: String(e._id), seq: e.seq ?? undefined, chain: chainOf(e.tenantId) };
}

/** The first `count` events matching `f` (which names a tenancy) newest first, or null: ask the database. */
export async function newestFromChain(f: AuditFilter, count: number): Promise<ChainEvent[] | null> {
  if (!f.tenant || f.after) return null;
  const chain = chainOf(f.tenant);
  const [before, head] = await Promise.all([f.before ? cursorEvent(f.before) : undefined, readHead(chain)]);
  if (before && (before.seq === undefined || before.chain !== chain)) return null;
  if (head.seq === 0) return null;

  // Exact action and outcome go with each bucket's read (top-level equality: FerretDB pushes
  // them down), so a bucket costs its matches rather than its 100 events; the rest is matched here.
  const where = { ...(f.action && !f.action.endsWith('*') ? { action: f.action } : {}), ...(f.outcome ? { outcome: f.outcome } : {}) };
  const read = (b: number) => (Object.keys(where).length ? readBucketWhere(chain, b, where) : readBucket(chain, b));
  const match = auditMatcher(f, before);
  const found: ChainEvent[] = [];
  let oldest = Infinity;
  // Any event read bounds every unread (older) one, matching or not.
  const take = (events: ChainEvent[]) => {
    for (const e of events) {
      if (match(e)) found.push(e);
      oldest = Math.min(oldest, +e.at);
    }
  };
  const complete = () => {
    // No event below the buckets read is later than this.
    const horizon = oldest + STORED_WITHIN_MS;
    found.sort((a, b) => newerFirst(positionOf(a), positionOf(b)));
    return (f.from !== undefined && horizon < +f.from) || (found.length >= count && +found[count - 1].at > horizon);
  };

  let budget = MAX_BUCKETS;
  const start = Math.floor((before?.seq ?? head.seq) / BUCKET_SIZE);
  // Above the cursor's bucket: events stored later but stamped before the cursor, if any.
  if (before) {
    for (let b = start + 1; b <= Math.floor(head.seq / BUCKET_SIZE); b++) {
      if (--budget < 0) return null;
      const events = await read(b);
      take(events);
      if (Math.max(...events.map((e) => +e.at)) - STORED_WITHIN_MS > +before.at) break;
    }
  }
  // Down the chain, two buckets first (the newest may hold one event), then as many at once as
  // the matches so far say the page needs, plus one.
  const top = before ? (start + 1) * BUCKET_SIZE - 1 : head.seq;
  for (let b = start, width = 2; b >= 0;) {
    const n = Math.min(width, b + 1);
    if ((budget -= n) < 0) return null;
    const buckets = await Promise.all(Array.from({ length: n }, (_, i) => read(b - i)));
    b -= n;
    buckets.forEach(take);
    if (complete()) return found.slice(0, count);
    const perEvent = found.length / (top - (b + 1) * BUCKET_SIZE + 1);
    const wanted = perEvent > 0 ? Math.ceil((count - found.length) / perEvent / BUCKET_SIZE) + 1 : 2 * width;
    width = Math.max(2, Math.min(wanted, MAX_PARALLEL));
  }
  return (await wholeTrailChained(f.tenant)) ? found.slice(0, count) : null;
}

const chained = new Map<string, Promise<boolean>>();

/**
 * Whether a tenancy has no events from before the chain (which only the database finds): asked
 * once per process and tenancy, since the app writes every event into its chain.
 */
function wholeTrailChained(tenantId: string): Promise<boolean> {
  const key = `${mongoose.connection.name}/${tenantId}`;
  let known = chained.get(key);
  if (!known) {
    known = AuditEventModel.exists({ tenantId, seq: { $exists: false } }).then((legacy) => !legacy);
    chained.set(key, known);
    known.catch(() => chained.delete(key));
  }
  return known;
}
