/**
 * A tenancy's users as its admins see them in the portal: its SSO accounts (and the standard
 * accounts migrating or migrated to it, which carry its tenant ID) and the standard accounts
 * in its nominated domains, in email order, one page at a time. The page is keyed by email
 * (unique), never skipped into, and read bucket by bucket (user-list-walk.ts): about a page of
 * users per request however large the tenancy.
 */
import { isValidObjectId, type Types } from 'mongoose';
import { z } from 'zod';
import { parse } from '../accounts/validation';
import { notFound } from '../errors';
import { TenantModel, UserModel, type User } from '../models';
import { domainScope, tenancyScope } from '../models/user-list-keys';
import { blankIsAbsent, pageLimit } from '../query-params';
import { bucketReader, walkUsers } from './user-list-walk';

const listQuerySchema = z.object({
  after: z.preprocess(blankIsAbsent, z.string().trim().toLowerCase().max(254).optional()),
  q: z.preprocess(blankIsAbsent, z.string().trim().toLowerCase().max(254).optional()),
  limit: pageLimit(200),
});
export type UserListQuery = z.infer<typeof listQuerySchema>;
export const parseUserListQuery = (raw: unknown) => parse(listQuerySchema, raw);

export const MIGRATION_STATES = ['sso', 'migrated', 'migrating', 'standard'] as const;
export type MigrationState = (typeof MIGRATION_STATES)[number];

type UserDoc = User & { _id: Types.ObjectId };

function migrationState(u: UserDoc): MigrationState {
  if (u.kind === 'sso') return u.migration?.completedAt ? 'migrated' : 'sso';
  return u.status === 'migrating' || u.migration?.startedAt ? 'migrating' : 'standard';
}

export interface PortalUser {
  id: string;
  email: string;
  displayName: string | null;
  kind: User['kind'];
  status: User['status'];
  migration: MigrationState;
  /** Last SSO sign-in (its Entra identity's, carried by the user); password sign-ins are not recorded per user. */
  lastSignInAt: string | null;
}

const USER_FIELDS = { email: 1, displayName: 1, kind: 1, status: 1, migration: 1, tenantId: 1, lastSignInAt: 1 } as const;

export async function listTenancyUsers(rawTenantId: string, q: UserListQuery): Promise<{ users: PortalUser[]; next: string | null }> {
  const tenantId = rawTenantId.toLowerCase();
  const limit = q.limit ?? 50;
  const tenant = await TenantModel.findOne({ tenantId }, { domains: 1 }).lean();
  if (!tenant) throw notFound(`No tenancy ${tenantId}.`);
  // Equality on every key: FerretDB pushes these down (see lib/models/user-list-keys.ts).
  const bucket = (filter: Record<string, string>) => bucketReader<UserDoc>('listKey', filter, USER_FIELDS);
  const scopes = [
    { id: tenancyScope(tenantId), read: bucket({ tenantId }) },
    ...tenant.domains.map((domain) => ({ id: domainScope(domain), read: bucket({ emailDomain: domain, kind: 'standard' }) })),
  ];
  const { users: found } = await walkUsers(scopes, { after: q.after, q: q.q }, limit + 1, (u) => (u.status !== 'deleted' ? u.email : null));
  const shown = found.slice(0, limit);
  const users = shown.map(toPortalUser);
  return { users, next: found.length > limit ? shown[shown.length - 1].email : null };
}

function toPortalUser(u: UserDoc): PortalUser {
  return {
    id: String(u._id),
    email: u.email,
    displayName: u.displayName ?? null,
    kind: u.kind,
    status: u.status,
    migration: migrationState(u),
    lastSignInAt: u.kind === 'sso' ? (u.lastSignInAt?.toISOString() ?? null) : null,
  };
}

/**
 * One user of the tenancy, for its admins: one of its SSO (or migrating) accounts, which the
 * deletion rules let them delete. Any other user, of another tenancy or none, is "not found".
 */
export async function tenancyUser(rawTenantId: string, userId: string): Promise<PortalUser> {
  const tenantId = rawTenantId.toLowerCase();
  const user = isValidObjectId(userId) ? await UserModel.findById(userId, USER_FIELDS).lean<UserDoc>() : null;
  if (!user || user.tenantId !== tenantId) throw notFound(`No user ${userId}.`);
  return toPortalUser(user);
}
