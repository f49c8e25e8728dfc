/**
 * PATCH /Groups/<id>. Member operations (Entra adds and removes members in batches:
 * `{"op":"Add","path":"members","value":[{"value":"<id>"}…]}`, removals the same or as
 * `members[value eq "<id>"]`) become row inserts and deletes, so a group of 50,000 members is
 * never read whole; other operations patch the group resource. Everything is parsed and
 * checked before anything is written.
 */
import { auditScim } from './audit';
import { withLock } from '../claims';
import type { Doc } from './attribute-paths';
import type { ScimContext } from './context';
import { invalidPath } from './errors';
import type { Filter } from './filter';
import { addMembers, checkMembers, removeMembers } from './group-members';
import { groupRepresentation, liveGroup, withoutMembers, writeGroup } from './groups';
import { applyPatch, parsePatchRequest, type PatchOperation } from './patch';
import { parsePatchPath } from './patch-path';
import { GROUP_TYPE } from './schema';
import { canonicalValue } from './values';
import { fromStored } from './storage-keys';

type MemberAction = { kind: 'add' | 'remove'; ids: string[] } | { kind: 'clear' };

const MEMBERS = parsePatchPath(GROUP_TYPE, 'members').def;

export async function patchGroup(ctx: ScimContext, id: string, body: unknown): Promise<Doc> {
  const { others, members } = partition(parsePatchRequest(body));
  return withLock(`scim-group:${id}`, async () => {
    const doc = await liveGroup(ctx, id);
    const patched = others.length ? withoutMembers(applyPatch(GROUP_TYPE, fromStored(doc.resource), others)).resource : undefined;
    await checkMembers(
      ctx.tenantId,
      members.flatMap((a) => (a.kind === 'add' ? a.ids : [])),
    );
    if (patched) await writeGroup(ctx, doc, patched);
    let added = 0;
    let removed = 0;
    for (const action of members) {
      if (action.kind === 'add') added += await addMembers(ctx.tenantId, id, action.ids);
      else removed += await removeMembers(id, action.kind === 'clear' ? 'all' : action.ids);
    }
    if (added || removed) {
      await auditScim(ctx, 'scim.group.members-changed', { type: 'scim-group', id }, { added, removed });
    }
    return groupRepresentation(ctx, await liveGroup(ctx, id), { excludedAttributes: 'members' });
  });
}

function partition(ops: PatchOperation[]): { others: PatchOperation[]; members: MemberAction[] } {
  const others: PatchOperation[] = [];
  const members: MemberAction[] = [];
  const expanded = ops.flatMap((op) =>
    op.path === undefined && op.op !== 'remove' && op.value && typeof op.value === 'object' && !Array.isArray(op.value)
      ? Object.entries(op.value as Doc).map(([path, value]) => ({ op: op.op, path, value }))
      : [op],
  );
  for (const op of expanded) {
    const target = op.path === undefined ? undefined : parsePatchPath(GROUP_TYPE, op.path);
    if (target?.def.name !== 'members') {
      others.push(op);
      continue;
    }
    if (target.elementSub || target.sub) throw invalidPath(`"${op.path}": members are added and removed whole`);
    const ids = () => ((canonicalValue(MEMBERS, op.value, `${op.path}`) as Doc[] | undefined) ?? []).map((m) => String(m.value));
    if (op.op === 'add') members.push({ kind: 'add', ids: ids() });
    else if (op.op === 'replace') members.push({ kind: 'clear' }, { kind: 'add', ids: ids() });
    else if (target.filter) members.push({ kind: 'remove', ids: memberFilterIds(target.filter, op.path!) });
    else members.push(op.value === undefined || op.value === null ? { kind: 'clear' } : { kind: 'remove', ids: ids() });
  }
  return { others, members };
}

/** `members[value eq "a"]` (or an `or` of such): the IDs it names. */
function memberFilterIds(f: Filter, path: string): string[] {
  if (f.op === 'or') return [...memberFilterIds(f.left, path), ...memberFilterIds(f.right, path)];
  if (f.op === 'eq' && f.path.attr.toLowerCase() === 'value' && typeof f.value === 'string') return [f.value];
  throw invalidPath(`"${path}": remove members by value eq "<id>"`);
}
