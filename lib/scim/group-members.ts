/**
 * Group membership rows (one per group and member): adding is an idempotent unique insert,
 * removing a delete, so member lists of any size change in place, and replays do nothing
 * twice. Members must be live users of the same tenancy.
 */
import { ScimMemberModel, ScimUserModel } from '../models';
import { invalidValue } from './errors';

const CHUNK = 500;
const chunks = <T>(items: T[]) =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));
export const memberRowId = (groupId: string, userScimId: string) => `${groupId}|${userScimId}`;

/** Refuses (400, nothing changed) unless every ID is a user of this tenancy. */
export async function checkMembers(tenantId: string, ids: string[]): Promise<void> {
  const unknown: string[] = [];
  for (const chunk of chunks([...new Set(ids)])) {
    const found = await ScimUserModel.find({ _id: { $in: chunk }, tenantId, purgedAt: null }, { _id: 1 }).lean();
    const known = new Set(found.map((u) => String(u._id)));
    unknown.push(...chunk.filter((id) => !known.has(id)));
  }
  if (unknown.length)
    throw invalidValue(
      `members must be users of this tenancy; unknown: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`,
    );
}

export async function addMembers(tenantId: string, groupId: string, ids: string[]): Promise<number> {
  let added = 0;
  for (const chunk of chunks([...new Set(ids)])) {
    const rows = chunk.map((userScimId) => ({ _id: memberRowId(groupId, userScimId), tenantId, groupId, userScimId }));
    try {
      added += (await ScimMemberModel.insertMany(rows, { ordered: false })).length;
    } catch (err) {
      const e = err as { code?: number; insertedDocs?: unknown[]; writeErrors?: { code?: number; err?: { code?: number } }[] };
      const allDuplicates = (e.writeErrors ?? []).every((w) => (w.code ?? w.err?.code) === 11000);
      if (!allDuplicates && e.code !== 11000) throw err;
      added += e.insertedDocs?.length ?? 0;
    }
  }
  return added;
}

export async function removeMembers(groupId: string, ids: string[] | 'all'): Promise<number> {
  if (ids === 'all') return (await ScimMemberModel.deleteMany({ groupId })).deletedCount;
  let removed = 0;
  for (const chunk of chunks([...new Set(ids)]))
    removed += (await ScimMemberModel.deleteMany({ _id: { $in: chunk.map((u) => memberRowId(groupId, u)) } })).deletedCount;
  return removed;
}

export async function memberIds(groupId: string): Promise<string[]> {
  return (await ScimMemberModel.find({ groupId }, { userScimId: 1 }).lean()).map((m) => m.userScimId).sort();
}
