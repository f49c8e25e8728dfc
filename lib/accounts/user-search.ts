import { z } from 'zod';
import { isValidObjectId, type Types } from 'mongoose';
import { USER_KINDS, USER_STATUSES, UserModel, type User } from '../models';
import { notFound } from '../errors';
import { parse } from './validation';
import { blankIsAbsent, pageLimit } from '../query-params';
import { EMAILS_SCOPE, NAMES_SCOPE } from '../models/user-list-keys';
import { nameTermsOf, normalizeSearchText } from '../models/user-name-terms';
import { bucketReader, walkUsers, type ListScope } from '../portal/user-list-walk';

/**
 * Finding users for the staff console, across every tenancy: by text ("starts with": the
 * email, or any word of the display name, as Entra's admin centre searches users), kind,
 * status, staff flag. Read bucket by bucket like the portal's list (user-list-walk.ts), so a
 * page reads about a page of users however many match.
 */

const userFilterSchema = z.object({
  q: z.preprocess((v) => blankIsAbsent(typeof v === 'string' ? normalizeSearchText(v) : v), z.string().max(254).optional()),
  kind: z.preprocess(blankIsAbsent, z.enum(USER_KINDS, { error: `kind: expected one of ${USER_KINDS.join(', ')}` }).optional()),
  status: z.preprocess(blankIsAbsent, z.enum(USER_STATUSES, { error: `status: expected one of ${USER_STATUSES.join(', ')}` }).optional()),
  staff: z.preprocess(blankIsAbsent, z.enum(['true', 'false'], { error: 'staff: expected true or false' }).optional()),
  /** The `next` of the page before (opaque). */
  after: z.preprocess(blankIsAbsent, z.string().max(600).optional()),
  limit: pageLimit(200),
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

/**
 * Bucket reads past this many (about 1 ms each, in rounds of four), a page ends short with a
 * cursor: a filter few users match never reads everyone at once.
 */
const READ_BUDGET = 32;

type UserDoc = User & { _id: Types.ObjectId };
type Equalities = Partial<Pick<User, 'kind' | 'status' | 'isStaff'>>;
/**
 * One page. Without a query: every user in email order (cursor: the last email). With one:
 * the users whose email or a word of whose name starts with it, in the order of the first
 * (alphabetically) of their email and name terms that matches, ties by ID; each user once.
 * `next` is the `after` of the following page; a page may be short (or empty) and still have
 * one, when a filter matched few of the users in the buckets it read (`readBudget`: how many bucket reads at most).
 */
export async function searchUsers(f: UserFilter, readBudget?: number): Promise<{ users: SerializedUser[]; next: string | null }> {
  const limit = f.limit ?? 50;
  const filters: Equalities = {
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.staff ? { isStaff: f.staff === 'true' } : {}),
  };
  const emails: ListScope<UserDoc> = { id: EMAILS_SCOPE, read: bucketReader<UserDoc>('listKey', filters) };
  const names: ListScope<UserDoc> = { id: NAMES_SCOPE, read: bucketReader<UserDoc>('nameKeys', filters) };
  const { q } = f;
  const position = (u: UserDoc): string | null => {
    if (q === undefined) return u.email;
    const first = [u.email, ...nameTermsOf(u.displayName)].filter((t) => t.startsWith(q)).sort()[0];
    return first === undefined ? null : `${first}\t${String(u._id)}`;
  };
  const scopes = q === undefined ? [emails] : [emails, names];
  const walked = await walkUsers(scopes, { after: f.after, q }, limit + 1, position, readBudget ?? READ_BUDGET);
  const shown = walked.users.slice(0, limit);
  const next = walked.resume ?? (walked.users.length > limit ? position(shown[shown.length - 1]) : null);
  return { users: shown.map(serializeUser), next };
}

export async function getUser(id: string): Promise<SerializedUser> {
  const user = isValidObjectId(id) ? await UserModel.findById(id).lean() : null;
  if (!user) throw notFound('No such user.');
  return serializeUser(user);
}
