import type { AuditFilter } from './audit-search';

/** An event as the matcher reads it: a stored event, from the database or from a chain's page. */
export interface MatchableEvent {
  _id: { toHexString(): string };
  at: Date;
  action: string;
  outcome: string;
  actor?: { userId?: string | null; email?: string | null } | null;
  target?: { id?: string | null } | null;
  tenantId?: string | null;
}

/** A position in the newest-first order: (at, _id), both descending. */
export interface AuditPosition {
  at: Date;
  id: string;
}

/** Whether `a` comes before `b` newest first: later `at`, then the larger `_id` (as MongoDB sorts ObjectIds). */
export const newerFirst = (a: AuditPosition, b: AuditPosition) => +b.at - +a.at || (a.id > b.id ? -1 : a.id < b.id ? 1 : 0);

export const positionOf = (e: MatchableEvent): AuditPosition => ({ at: e.at, id: e._id.toHexString() });

/**
 * The search filter as a predicate, for events read from a chain rather than found by the
 * database: the same conditions as the database filter (lib/audit-search.ts), with `before`
 * as a position. Equality is exact (no case folding), a `*` action is a literal prefix.
 */
export function auditMatcher(f: AuditFilter, before?: AuditPosition): (e: MatchableEvent) => boolean {
  const prefix = f.action?.endsWith('*') ? f.action.slice(0, -1) : undefined;
  return (e) =>
    (prefix !== undefined ? e.action.startsWith(prefix) : !f.action || e.action === f.action) &&
    (!f.outcome || e.outcome === f.outcome) &&
    (!f.actor || e.actor?.email === f.actor) &&
    (!f.tenant || e.tenantId === f.tenant) &&
    (!f.target || e.target?.id === f.target) &&
    (!f.user || e.actor?.userId === f.user || e.target?.id === f.user) &&
    (!f.from || +e.at >= +f.from) &&
    (!f.to || +e.at < +f.to) &&
    (!before || newerFirst(before, positionOf(e)) < 0);
}
