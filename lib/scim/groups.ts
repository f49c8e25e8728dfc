/**
 * /Groups: groups and their members as Entra provisions them. Membership feeds the tenancy's
 * group gate (lib/scim/group-gate.ts) by the group's externalId, its Entra object ID.
 */
import { auditScim } from './audit';
import { randomUUID } from 'node:crypto';
import { withLock } from '../claims';
import { ScimGroupModel, type ScimGroup } from '../models';
import type { Doc } from './attribute-paths';
import type { ScimContext } from './context';
import { scimNotFound, uniqueness } from './errors';
import { addMembers, checkMembers, memberIds, removeMembers } from './group-members';
import { filterMatches, listResponse, parseCollectionFilter, type Page } from './listing';
import { project, representation, resourceFromBody } from './resource';
import { GROUP_TYPE } from './schema';
import type { Projection } from './user-query';
import { fromStored, toStored } from './storage-keys';

export type GroupRecord = ScimGroup & { _id: string; createdAt: Date; updatedAt: Date };

export const externalKey = (tenantId: string, id: string, externalId: unknown) =>
  typeof externalId === 'string' ? `${tenantId}|${externalId.toLowerCase()}` : `none:${id}`;
export const displayNameKey = (tenantId: string, name: string) => `${tenantId}|${name.trim().toLowerCase()}`;

/** Splits the members out of a group resource: they are stored as rows. */
export function withoutMembers(resource: Doc): { resource: Doc; members?: string[] } {
  const { members, ...rest } = resource;
  return { resource: rest, ...(members ? { members: (members as Doc[]).map((m) => String(m.value)) } : {}) };
}

export async function liveGroup(ctx: Pick<ScimContext, 'tenantId'>, id: string): Promise<GroupRecord> {
  const doc = (await ScimGroupModel.findById(id).lean()) as GroupRecord | null;
  if (!doc || doc.tenantId !== ctx.tenantId) throw scimNotFound(`No group ${id}.`);
  return doc;
}

export async function groupRepresentation(ctx: Pick<ScimContext, 'base'>, doc: GroupRecord, projection: Projection = {}): Promise<Doc> {
  const wantsMembers = !projection.excludedAttributes
    ?.toLowerCase()
    .split(',')
    .map((s) => s.trim())
    .includes('members');
  const members = wantsMembers
    ? (await memberIds(doc._id)).map((value) => ({ value, $ref: `${ctx.base}/Users/${value}`, type: 'User' }))
    : [];
  const resource = { ...fromStored(doc.resource), ...(members.length ? { members } : {}) };
  return project(
    representation(GROUP_TYPE, resource, {
      id: doc._id,
      created: doc.createdAt,
      lastModified: doc.updatedAt,
      version: doc.version,
      location: `${ctx.base}/Groups/${doc._id}`,
    }),
    projection,
  );
}

export async function createGroup(ctx: ScimContext, body: unknown): Promise<Doc> {
  const { resource, members = [] } = withoutMembers(resourceFromBody(GROUP_TYPE, body));
  await checkMembers(ctx.tenantId, members);
  const id = randomUUID();
  try {
    await ScimGroupModel.create({
      _id: id,
      tenantId: ctx.tenantId,
      externalKey: externalKey(ctx.tenantId, id, resource.externalId),
      externalId: resource.externalId as string | undefined,
      displayNameKey: displayNameKey(ctx.tenantId, resource.displayName as string),
      resource: toStored(resource),
    });
  } catch (err) {
    if ((err as { code?: number }).code === 11000)
      throw uniqueness(`A group with externalId ${String(resource.externalId)} already exists`);
    throw err;
  }
  await addMembers(ctx.tenantId, id, members);
  await auditScim(
    ctx,
    'scim.group.created',
    { type: 'scim-group', id },
    { displayName: resource.displayName, externalId: resource.externalId, members: members.length },
  );
  return groupRepresentation(ctx, await liveGroup(ctx, id));
}

/** PUT: the group as sent, members included (replaced as a whole). */
export async function replaceGroup(ctx: ScimContext, id: string, body: unknown): Promise<Doc> {
  const { resource, members = [] } = withoutMembers(resourceFromBody(GROUP_TYPE, body));
  return withLock(`scim-group:${id}`, async () => {
    const doc = await liveGroup(ctx, id);
    await checkMembers(ctx.tenantId, members);
    await writeGroup(ctx, doc, resource);
    const current = new Set(await memberIds(id));
    await removeMembers(
      id,
      [...current].filter((m) => !members.includes(m)),
    );
    await addMembers(
      ctx.tenantId,
      id,
      members.filter((m) => !current.has(m)),
    );
    return groupRepresentation(ctx, await liveGroup(ctx, id));
  });
}

export async function writeGroup(ctx: ScimContext, doc: GroupRecord, resource: Doc): Promise<void> {
  try {
    await ScimGroupModel.updateOne(
      { _id: doc._id },
      {
        $set: {
          resource: toStored(resource),
          externalId: resource.externalId as string | undefined,
          externalKey: externalKey(ctx.tenantId, doc._id, resource.externalId),
          displayNameKey: displayNameKey(ctx.tenantId, resource.displayName as string),
        },
        $inc: { version: 1 },
      },
    );
  } catch (err) {
    if ((err as { code?: number }).code === 11000)
      throw uniqueness(`A group with externalId ${String(resource.externalId)} already exists`);
    throw err;
  }
}

export async function deleteGroup(ctx: ScimContext, id: string): Promise<void> {
  await withLock(`scim-group:${id}`, async () => {
    const doc = await liveGroup(ctx, id);
    const removed = await removeMembers(id, 'all');
    await ScimGroupModel.deleteOne({ _id: id });
    await auditScim(
      ctx,
      'scim.group.deleted',
      { type: 'scim-group', id },
      { displayName: (doc.resource as Doc).displayName, members: removed },
    );
  });
}

export async function listGroups(ctx: ScimContext, filterSource: string | undefined, page: Page, projection: Projection) {
  if (filterSource === undefined) {
    const [docs, total] = await Promise.all([
      ScimGroupModel.find({ tenantId: ctx.tenantId })
        .sort({ _id: 1 })
        .skip(page.startIndex - 1)
        .limit(page.count)
        .lean() as Promise<GroupRecord[]>,
      ScimGroupModel.countDocuments({ tenantId: ctx.tenantId }),
    ]);
    return listResponse(await Promise.all(docs.map((d) => groupRepresentation(ctx, d, projection))), total, page.startIndex);
  }
  const { filter, lookup } = parseCollectionFilter(GROUP_TYPE, filterSource, ['displayName', 'externalId', 'id']);
  const query =
    lookup.attr === 'displayname'
      ? { displayNameKey: displayNameKey(ctx.tenantId, lookup.value) }
      : lookup.attr === 'externalid'
        ? { externalKey: externalKey(ctx.tenantId, '', lookup.value) }
        : { _id: lookup.value, tenantId: ctx.tenantId };
  const docs = ((await ScimGroupModel.find(query).limit(50).lean()) as GroupRecord[]).filter((d) => d.tenantId === ctx.tenantId);
  const reps = await Promise.all(docs.map((d) => groupRepresentation(ctx, d, projection)));
  const matching = reps.filter((r) => filterMatches(GROUP_TYPE, filter, r));
  return listResponse(page.startIndex > 1 || page.count === 0 ? [] : matching, matching.length, page.startIndex);
}
