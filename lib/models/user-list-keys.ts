import type { Collection } from 'mongoose';
import { UserListBucketModel } from './user-list-bucket';
import { insertEachOnce } from '../bulk-writes';

/**
 * How the portal's user list finds a page without reading the tenancy whole. FerretDB pushes
 * down only equality (no range, sort or limit with a filter), so each user carries equality
 * keys derived from its email: `listKey`, a prefix of the email (a bucket: every email in it
 * sorts between the bucket's neighbours; its length is below), and `emailDomain`. A tenancy's
 * users are found by (tenantId, listKey), the standard accounts of a domain by
 * (emailDomain, listKey, kind). The directory (user-list-bucket.ts) lists a scope's buckets
 * under groups of their first GROUP_LENGTH characters, so a page reads the groups, one
 * group's buckets, and buckets in order until it is full.
 *
 * The key is long because emails are skewed: thousands of people share a first name, so a
 * short prefix ("jam") would make one bucket hold them all. It runs to two characters past the
 * first separator (`.`, `_`, `-`, `+` or `@`), at least LIST_KEY_MIN and at most LIST_KEY_MAX
 * characters: "james.sm", "michael.sm", "christopher.jo", "mary.lee" (a fixed eight made one
 * bucket of every "michael.", 2,213 of 100k users, and a page inside it read them all). The
 * length depends only on the characters it keeps, so no key is a prefix of another: buckets
 * are disjoint ranges of emails, in the order of their keys. Written with the email by the
 * model's middleware (user-list-middleware.ts) and back-filled at worker start
 * (lib/accounts/index-user-list.ts).
 */
export const LIST_KEY_MIN = 8;
export const LIST_KEY_MAX = 16;
const AFTER_SEPARATOR = 2;
export const GROUP_LENGTH = 2;
/** Rows per directory insert: inserts do not wedge FerretDB, so a back-fill batch's entries go in a few commands. */
const BULK_INSERT_ROWS = 1_000;
/** Tombstoned users (activities/deletion/tombstone.ts) are in no list. */
const UNLISTED_DOMAIN = 'tombstone.invalid';

export const emailDomainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);
function listKeyLength(email: string): number {
  const separator = email.search(/[._+@-]/);
  const upTo = separator < 0 ? LIST_KEY_MAX : separator + 1 + AFTER_SEPARATOR;
  return Math.min(LIST_KEY_MAX, Math.max(LIST_KEY_MIN, upTo));
}
export const listKeyOf = (email: string): string | null =>
  emailDomainOf(email) === UNLISTED_DOMAIN ? null : email.slice(0, listKeyLength(email));

/** The fields a user with this email carries; an unlisted one's key is '', which no directory lists. */
export const listFieldsOf = (email: string): { listKey: string; emailDomain: string } => ({
  listKey: listKeyOf(email) ?? '',
  emailDomain: emailDomainOf(email),
});

export const tenancyScope = (tenantId: string) => `t:${tenantId}`;
export const domainScope = (domain: string) => `d:${domain}`;
export const groupId = (scope: string, group: string) => `${scope}|${group}`;

/** Directory entries for users (their tenancy's scope and their email domain's). */
function entriesFor(users: { email?: string | null; tenantId?: string | null }[]): { _id: string; parent: string }[] {
  const entries = new Map<string, string>();
  for (const u of users) {
    const key = u.email ? listKeyOf(u.email) : null;
    if (!u.email || key === null) continue;
    const scopes = [domainScope(emailDomainOf(u.email)), ...(u.tenantId ? [tenancyScope(u.tenantId)] : [])];
    for (const scope of scopes) {
      const group = groupId(scope, key.slice(0, GROUP_LENGTH));
      entries.set(group, scope);
      entries.set(`${group}|${key}`, group);
    }
  }
  return [...entries].map(([_id, parent]) => ({ _id, parent }));
}

/**
 * Entries this process has seen in the directory. Entries are never removed, so a remembered
 * one is always there: a user whose buckets are all remembered costs no command. Bounded: the
 * oldest are forgotten first, and a forgotten entry only costs one duplicate insert again.
 */
const KNOWN_MAX = 50_000;
const known = new Set<string>();
function remember(ids: string[]): void {
  for (const id of ids) {
    known.delete(id);
    known.add(id);
  }
  for (const oldest of known) {
    if (known.size <= KNOWN_MAX) break;
    known.delete(oldest);
  }
}

/**
 * Makes sure the directory lists these users' buckets, in one command at most: an unordered
 * insert of the entries this process does not know, each row on its own, duplicates (listed
 * already, or by a racing writer) ignored (`insertEachOnce`, as `claimAll` claims keys). Safe to
 * repeat. Inserts, not upserts: FerretDB v1 runs an update as a read and a write on two pooled
 * connections, and 50 updates at once (its pool) waited on each other for ever; and a look-up
 * before each insert cost a new user 4 more commands.
 */
export async function recordListBuckets(users: { email?: string | null; tenantId?: string | null }[]): Promise<void> {
  const entries = entriesFor(users).filter(({ _id }) => !known.has(_id));
  const directory = UserListBucketModel.collection as unknown as Collection<{ _id: string; parent: string }>;
  // Bulk inserts of any size are safe on FerretDB (only bulk updates wedge it); chunks keep each command small.
  for (let i = 0; i < entries.length; i += BULK_INSERT_ROWS) {
    const some = entries.slice(i, i + BULK_INSERT_ROWS);
    await insertEachOnce(directory, some);
    remember(some.map(({ _id }) => _id));
  }
}
