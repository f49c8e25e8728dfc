/**
 * One page of a user list in email order, read bucket by bucket through the directory
 * (lib/models/user-list-keys.ts): the scopes' groups, then each group's buckets in order,
 * a few buckets at a time, until the page is full. Every read is an equality look-up, so
 * FerretDB reads about a page of users, not the tenancy; on MongoDB each is an index look-up.
 */
import { UserListBucketModel } from '../models';
import { groupId } from '../models/user-list-keys';

/** A source of users: its directory scope, and how to read one of its buckets. */
export interface ListScope<T> {
  id: string;
  read(listKey: string): Promise<T[]>;
}
type Listed = { _id: unknown; email: string };

/** A read's first batch: a whole bucket or directory level in one reply, with no `getMore` round trips. */
export const ONE_REPLY = 100_000;

/** Buckets read at once: enough to fill a page in one round in the usual case, few enough to stay cheap. */
const PARALLEL_BUCKETS = 4;

/** `x` (a group or bucket key, a prefix of its emails) holds only emails before `start`. */
const allBefore = (x: string, start: string) => x < start.slice(0, x.length);
/** `x` holds only emails after every one starting with `q`. */
const allAfter = (x: string, q: string) => x.slice(0, q.length) > q.slice(0, x.length);

/** The children of several directory entries, each with the entries (scopes) that have it. */
async function children(parents: string[]): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  const rows = await Promise.all(parents.map((parent) => UserListBucketModel.find({ parent }, { _id: 1 }).batchSize(ONE_REPLY).lean()));
  rows.forEach((entries, i) => {
    for (const { _id } of entries) {
      const child = String(_id).slice(parents[i].length + 1);
      found.set(child, [...(found.get(child) ?? []), i]);
    }
  });
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Up to `want` users of `scopes` (without repeats), in email order, after `after` and starting
 * with `q` when given, that `keep` accepts.
 */
export async function walkUsers<T extends Listed>(
  scopes: ListScope<T>[],
  from: { after?: string; q?: string },
  want: number,
  keep: (user: T) => boolean,
): Promise<T[]> {
  const { after, q } = from;
  const start = after !== undefined && (q === undefined || after > q) ? after : (q ?? '');
  const inRange = (x: string) => !allBefore(x, start) && (q === undefined || !allAfter(x, q));
  const accept = (u: T) => (after === undefined || u.email > after) && (q === undefined || u.email.startsWith(q)) && keep(u);
  const page: T[] = [];
  const seen = new Set<string>();

  for (const [group, groupScopes] of await children(scopes.map((s) => s.id))) {
    if (q !== undefined && allAfter(group, q)) break;
    if (!inRange(group)) continue;
    const buckets = [...(await children(groupScopes.map((i) => groupId(scopes[i].id, group))))]
      .map(([key, at]) => ({ key, scopes: at.map((k) => scopes[groupScopes[k]]) }))
      .filter(({ key }) => inRange(key));
    for (let i = 0; i < buckets.length; i += PARALLEL_BUCKETS) {
      const batch = buckets.slice(i, i + PARALLEL_BUCKETS);
      const read = await Promise.all(batch.map(({ key, scopes: at }) => Promise.all(at.map((s) => s.read(key)))));
      for (const users of read) {
        const fresh = users.flat().filter((u) => accept(u) && !seen.has(String(u._id)));
        fresh.forEach((u) => seen.add(String(u._id)));
        page.push(...fresh.sort((a, b) => (a.email < b.email ? -1 : 1)));
      }
      if (page.length >= want) return page.slice(0, want);
    }
  }
  return page;
}
