/** GET /Users/<id> and GET /Users[?filter=...]: only this tenancy's live users are ever found. */
import { ScimUserModel } from '../models';
import type { Doc } from './attribute-paths';
import type { ScimContext } from './context';
import { filterMatches, listResponse, parseCollectionFilter, type Page } from './listing';
import { project } from './resource';
import { USER_TYPE } from './schema';
import { identityKey, liveUser, userByKey, userNameKey, userRepresentation, type ScimUserRecord } from './user-records';

export interface Projection {
  attributes?: string;
  excludedAttributes?: string;
}

export async function getUserResource(ctx: ScimContext, id: string, projection: Projection): Promise<Doc> {
  return project(userRepresentation(ctx, await liveUser(ctx, id)), projection);
}

export async function listUsers(ctx: ScimContext, filterSource: string | undefined, page: Page, projection: Projection) {
  if (filterSource === undefined) {
    const live = { tenantId: ctx.tenantId, deletedAt: null, purgedAt: null };
    const [docs, total] = await Promise.all([
      ScimUserModel.find(live)
        .sort({ _id: 1 })
        .skip(page.startIndex - 1)
        .limit(page.count)
        .lean() as Promise<ScimUserRecord[]>,
      ScimUserModel.countDocuments(live),
    ]);
    return listResponse(
      docs.map((d) => project(userRepresentation(ctx, d), projection)),
      total,
      page.startIndex,
    );
  }
  const { filter, lookup } = parseCollectionFilter(USER_TYPE, filterSource, ['userName', 'externalId', 'id']);
  const candidate = await byKey(ctx, lookup.attr, lookup.value);
  const found =
    candidate && candidate.tenantId === ctx.tenantId && !candidate.deletedAt && !candidate.purgedAt
      ? [userRepresentation(ctx, candidate)]
      : [];
  const matching = found.filter((r) => filterMatches(USER_TYPE, filter, r));
  const shown = page.startIndex > 1 || page.count === 0 ? [] : matching;
  return listResponse(
    shown.map((r) => project(r, projection)),
    matching.length,
    page.startIndex,
  );
}

function byKey(ctx: ScimContext, attr: string, value: string): Promise<ScimUserRecord | null> {
  if (attr === 'username') return userByKey('userNameKey', userNameKey(ctx.tenantId, value));
  if (attr === 'externalid') return userByKey('identityKey', identityKey(ctx.tenantId, value));
  return ScimUserModel.findById(value).lean() as Promise<ScimUserRecord | null>;
}
