import type { Collection } from 'mongoose';
import { UserListBucketModel } from './user-list-bucket';
import { insertEachOnce } from '../bulk-writes';
import { nameTermsOf } from './user-name-terms';

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
 * length depends only on the characters it keeps, so no key is a prefix of another (but a
 * whole short term's, `isWholeTerm`): buckets are disjoint ranges of emails, in key order. Written with the email by the
 * model's middleware (user-list-middleware.ts) and back-filled at worker start
 * (lib/accounts/index-user-list.ts).
 *
 * The staff console's search (lib/accounts/user-search.ts) uses the same rule across every
 * tenancy: two more scopes, every user's email (`EMAILS_SCOPE`, read by `listKey`) and every
 * user's name terms (`NAMES_SCOPE`, user-name-terms.ts, read by `nameKeys`, the terms' keys).
 * A space separates too (names have them, emails never do, so email keys are unchanged).
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
function keyLength(term: string): number {
  const separator = term.search(/[._+@ -]/);
  const upTo = separator < 0 ? LIST_KEY_MAX : separator + 1 + AFTER_SEPARATOR;
  return Math.min(LIST_KEY_MAX, Math.max(LIST_KEY_MIN, upTo));
}
/** The bucket of a term (an email, or a name term): its prefix by the rule above. */
export const bucketKeyOf = (term: string) => term.slice(0, keyLength(term));
/**
 * A key shorter than its rule's length ("smith", "jo", "a@b.co") is a whole term, and its
 * bucket holds that term alone: the one kind of key that can be a prefix of others
 * ("smithson"), and it sorts before all of them, so buckets stay disjoint ranges in key order.
 */
export const isWholeTerm = (key: string) => key.length < keyLength(`${key}x`);
export const listKeyOf = (email: string): string | null => (emailDomainOf(email) === UNLISTED_DOMAIN ? null : bucketKeyOf(email));
/** The buckets of a display name's terms, for the staff search. */
export const nameKeysOf = (displayName: string | null | undefined): string[] => [...new Set(nameTermsOf(displayName).map(bucketKeyOf))];

/** The fields a user with this email carries; an unlisted one's key is '', which no directory lists. */
export const listFieldsOf = (email: string): { listKey: string; emailDomain: string } => ({
  listKey: listKeyOf(email) ?? '',
  emailDomain: emailDomainOf(email),
});

export const tenancyScope = (tenantId: string) => `t:${tenantId}`;
export const domainScope = (domain: string) => `d:${domain}`;
export const EMAILS_SCOPE = 'e';
export const NAMES_SCOPE = 'n';
export const groupId = (scope: string, group: string) => `${scope}|${group}`;

/**
 * What a write leaves of a user, as far as the directory goes: its email and tenancy (when it
 * sets either), its display name (when it sets that).
 */
export type Listed = { email?: string | null; tenantId?: string | null; displayName?: string | null };

/** Directory entries for users: their tenancy's, their email domain's and every email's scope; their name terms'. */
function entriesFor(users: Listed[]): { _id: string; parent: string }[] {
  const entries = new Map<string, string>();
  const add = (scope: string, key: string) => {
    const group = groupId(scope, key.slice(0, GROUP_LENGTH));
    entries.set(group, scope);
    entries.set(`${group}|${key}`, group);
  };
  for (const u of users) {
    for (const key of nameKeysOf(u.displayName)) add(NAMES_SCOPE, key);
    const key = u.email ? listKeyOf(u.email) : null;
    if (!u.email || key === null) continue;
    for (const scope of [EMAILS_SCOPE, domainScope(emailDomainOf(u.email)), ...(u.tenantId ? [tenancyScope(u.tenantId)] : [])])
      add(scope, key);
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
export async function recordListBuckets(users: Listed[]): Promise<void> {
  const entries = entriesFor(users).filter(({ _id }) => !known.has(_id));
  const directory = UserListBucketModel.collection as unknown as Collection<{ _id: string; parent: string }>;
  // Bulk inserts of any size are safe on FerretDB (only bulk updates wedge it); chunks keep each command small.
  for (let i = 0; i < entries.length; i += BULK_INSERT_ROWS) {
    const some = entries.slice(i, i + BULK_INSERT_ROWS);
    await insertEachOnce(directory, some);
    remember(some.map(({ _id }) => _id));
  }
}
