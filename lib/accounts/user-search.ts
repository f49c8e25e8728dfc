import { z } from 'zod';
import { isValidObjectId, type QueryFilter } from 'mongoose';
import { USER_KINDS, USER_STATUSES, UserModel, type User } from '../models';
import { notFound } from '../errors';
import { parse } from './validation';
import { blankIsAbsent, escapeRegex, pageLimit } from '../query-params';

/** Finding users for the staff console: by text (email or name), kind, status, staff flag. */

const userFilterSchema = z.object({
  q: z.preprocess(blankIsAbsent, z.string().trim().max(254).optional()),
  kind: z.preprocess(blankIsAbsent, z.enum(USER_KINDS, { error: `kind: expected one of ${USER_KINDS.join(', ')}` }).optional()),
  status: z.preprocess(blankIsAbsent, z.enum(USER_STATUSES, { error: `status: expected one of ${USER_STATUSES.join(', ')}` }).optional()),
  staff: z.preprocess(blankIsAbsent, z.enum(['true', 'false'], { error: 'staff: expected true or false' }).optional()),
  before: z.preprocess(blankIsAbsent, z.string().refine(isValidObjectId, 'before: expected a user ID').optional()),
  limit: pageLimit(500),
});
export type UserFilter = z.infer<typeof userFilterSchema>;
export const parseUserFilter = (query: unknown) => parse(userFilterSchema, query);

/** What staff see of a user: never the password hash. */
export function serializeUser(u: User & { _id: unknown; createdAt?: Date; updatedAt?: Date }) {
  return {
    id: String(u._id),
    email: u.email,
    displayName: u.displayName ?? null,
    kind: u.kind,
    status: u.status,
    isStaff: u.isStaff,
    hasPassword: Boolean(u.passwordHash),
    emailConfirmedAt: u.emailConfirmedAt?.toISOString() ?? null,
    tenantId: u.tenantId ?? null,
    tenantAdminOf: u.tenantAdminOf ?? [],
    migration: u.migration ?? null,
    deletion: u.deletion ?? null,
    createdAt: u.createdAt?.toISOString() ?? null,
  };
}
export type SerializedUser = ReturnType<typeof serializeUser>;

/** Newest first, one page; `next` is the `before` of the following page. */
export async function searchUsers(f: UserFilter): Promise<{ users: SerializedUser[]; next: string | null }> {
  const filter: QueryFilter<User> = {};
  if (f.q)
    filter.$or = [{ email: { $regex: escapeRegex(f.q.toLowerCase()) } }, { displayName: { $regex: escapeRegex(f.q), $options: 'i' } }];
  if (f.kind) filter.kind = f.kind;
  if (f.status) filter.status = f.status;
  if (f.staff) filter.isStaff = f.staff === 'true';
  if (f.before) filter._id = { $lt: f.before };
  const limit = f.limit ?? 50;
  const docs = await UserModel.find(filter)
    .sort({ _id: -1 })
    .limit(limit + 1)
    .lean();
  const users = docs.slice(0, limit).map(serializeUser);
  return { users, next: docs.length > limit ? users[users.length - 1].id : null };
}

export async function getUser(id: string): Promise<SerializedUser> {
  const user = isValidObjectId(id) ? await UserModel.findById(id).lean() : null;
  if (!user) throw notFound('No such user.');
  return serializeUser(user);
}
