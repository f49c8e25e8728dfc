import { z } from 'zod';
import { isValidObjectId, Types, type QueryFilter } from 'mongoose';
import { AUDIT_OUTCOMES, AuditEventModel, type AuditEvent } from './models';
import { parse } from './accounts/validation';
import { blankIsAbsent, escapeRegex, pageLimit } from './query-params';
import { cursorEvent, newestFromChain } from './audit-search-chain';

/**
 * Reading the audit trail: filters shared by the console page, the JSON list and the NDJSON
 * export. Events are ordered by (at, _id); paging and export resume from an event ID, which
 * is what a SIEM keeps between pulls.
 */
const text = (max: number) => z.preprocess(blankIsAbsent, z.string().trim().max(max).optional());
/** Times without a zone are read as UTC (what the console's datetime inputs send). */
const time = (name: string) =>
  z.preprocess(
    blankIsAbsent,
    z
      .string()
      .transform((s, ctx) => {
        const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) || !s.includes('T') ? s : `${s}Z`);
        if (Number.isNaN(d.getTime())) {
          ctx.addIssue({ code: 'custom', message: `${name}: expected a time like 2025-01-31T09:00Z, got "${s}"` });
          return z.NEVER;
        }
        return d;
      })
      .optional(),
  );
const objectId = (name: string, what: string) =>
  z.preprocess(blankIsAbsent, z.string().refine(isValidObjectId, `${name}: expected ${what}`).optional());

export const auditFilterSchema = z.object({
  /** Exact action, or a prefix ending in `*` (`auth.*`). */
  action: text(100),
  outcome: z.preprocess(
    blankIsAbsent,
    z.enum(AUDIT_OUTCOMES, { error: `outcome: expected one of ${AUDIT_OUTCOMES.join(', ')}` }).optional(),
  ),
  actor: z.preprocess(blankIsAbsent, z.string().trim().toLowerCase().max(254).optional()),
  tenant: z.preprocess(blankIsAbsent, z.string().trim().toLowerCase().max(100).optional()),
  target: text(200),
  /** A user ID: events where that user is the actor or the target. */
  user: objectId('user', 'a user ID'),
  from: time('from'),
  to: time('to'),
  /** List paging (newest first): events older than this event. */
  before: objectId('before', 'an audit event ID'),
  /** Export resumption (oldest first): events newer than this event. */
  after: objectId('after', 'an audit event ID'),
  limit: pageLimit(1000),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const parseAuditFilter = (query: unknown) => parse(auditFilterSchema, query);

/**
 * Exact matches are top-level fields of the filter and everything else goes under `$and`: on
 * FerretDB only top-level equality reaches PostgreSQL's indexes (tenant, action, outcome).
 */
async function mongoFilter(f: AuditFilter): Promise<QueryFilter<AuditEvent>> {
  const exact: Record<string, string> = {};
  const and: QueryFilter<AuditEvent>[] = [];
  if (f.action?.endsWith('*')) and.push({ action: { $regex: `^${escapeRegex(f.action.slice(0, -1))}` } });
  else if (f.action) exact.action = f.action;
  if (f.outcome) exact.outcome = f.outcome;
  if (f.actor) exact['actor.email'] = f.actor;
  if (f.tenant) exact.tenantId = f.tenant;
  if (f.target) exact['target.id'] = f.target;
  if (f.user) and.push({ $or: [{ 'actor.userId': f.user }, { 'target.id': f.user }] });
  if (f.from) and.push({ at: { $gte: f.from } });
  if (f.to) and.push({ at: { $lt: f.to } });
  for (const [cursor, op] of [
    [f.before, '$lt'],
    [f.after, '$gt'],
  ] as const) {
    if (!cursor) continue;
    const from = await cursorEvent(cursor);
    const id = new Types.ObjectId(from.id);
    and.push({ $or: [{ at: { [op]: from.at } }, { at: from.at, _id: { [op]: id } }] });
  }
  return (and.length ? { ...exact, $and: and } : exact) as QueryFilter<AuditEvent>;
}

export function serializeEvent(e: AuditEvent & { _id: unknown }) {
  return {
    id: String(e._id),
    at: e.at.toISOString(),
    action: e.action,
    outcome: e.outcome,
    actor: e.actor,
    target: e.target?.id ? e.target : undefined,
    tenantId: e.tenantId ?? undefined,
    ip: e.ip ?? undefined,
    userAgent: e.userAgent ?? undefined,
    details: e.details ?? undefined,
  };
}
export type SerializedAuditEvent = ReturnType<typeof serializeEvent>;

/**
 * Newest first, one page; `next` is the `before` of the following page. A tenancy's page is read
 * from its chain when that is quick (lib/audit-search-chain.ts), else found by the database.
 */
export async function listAuditEvents(f: AuditFilter): Promise<{ events: SerializedAuditEvent[]; next: string | null }> {
  const limit = f.limit ?? 50;
  const docs = (await newestFromChain(f, limit + 1)) ?? (await findNewest(f, limit + 1));
  const events = docs.slice(0, limit).map(serializeEvent);
  return { events, next: docs.length > limit ? events[events.length - 1].id : null };
}

/** The first `count` matches newest first, as the database sorts them. */
export async function findNewest(f: AuditFilter, count: number) {
  return AuditEventModel.find(await mongoFilter(f))
    .sort({ at: -1, _id: -1 })
    .limit(count)
    .lean();
}

/**
 * Oldest first, as an async stream over a database cursor (constant memory at any size).
 * Events are timed by the process that wrote them, so one written a moment late can sort
 * before the last event a SIEM saw: pull with `after` *and* a small overlapping `from`
 * window, and de-duplicate by `id`.
 */
export async function openAuditExport(f: AuditFilter): Promise<AsyncGenerator<SerializedAuditEvent>> {
  // The filter (and its cursor lookup) is built before anything is streamed, so a bad
  // cursor is still a clean 400 rather than a broken stream.
  let query = AuditEventModel.find(await mongoFilter(f)).sort({ at: 1, _id: 1 });
  if (f.limit) query = query.limit(f.limit);
  const cursor = query.lean().cursor({ batchSize: 500 });
  return (async function* () {
    try {
      for await (const doc of cursor) yield serializeEvent(doc as AuditEvent & { _id: unknown });
    } finally {
      await cursor.close();
    }
  })();
}
