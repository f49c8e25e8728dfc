/**
 * One page of a user list in term order (emails; names for the staff search), read bucket by bucket through the directory
 * (lib/models/user-list-keys.ts): the scopes' groups, then each group's buckets in order,
 * a few buckets at a time, until the page is full. Every read is an equality look-up, so
 * FerretDB reads about a page of users, not the tenancy; on MongoDB each is an index look-up.
 */
import { UserListBucketModel, UserModel } from '../models';
import { bucketKeyOf, groupId, isWholeTerm } from '../models/user-list-keys';

/** A source of users: its directory scope, and how to read one of its buckets. */
export interface ListScope<T> {
  id: string;
  read(listKey: string): Promise<T[]>;
}
type Listed = { _id: unknown; email: string };

/** A read's first batch: a whole bucket or directory level in one reply, with no `getMore` round trips. */
export const ONE_REPLY = 100_000;

/**
 * A scope's bucket read: the bucket's key and the scope's filter, equalities FerretDB pushes
 * down (so it returns only those users), in one reply.
 */
export const bucketReader =
  <T>(field: 'listKey' | 'nameKeys', filter: object, projection?: object) =>
  (key: string): Promise<T[]> =>
    UserModel.find({ ...filter, [field]: key }, projection)
      .batchSize(ONE_REPLY)
      .lean<T[]>();

/** Buckets read at once: enough to fill a page in one round in the usual case, few enough to stay cheap. */
const PARALLEL_BUCKETS = 4;

/**
 * A cursor past every position in bucket `key` and before every one in the buckets after it:
 * a whole term's positions are the term or the term, a tab and more; other buckets' run on.
 */
const pastBucket = (key: string) => (isWholeTerm(key) ? `${key}\t\uffff` : `${key}\uffff`);

/** Group `x` (a prefix of its emails) holds only emails before `start`; a bucket does when its `pastBucket` is not after it. */
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

/** Where a walk stopped: the page, and when a budget cut it short, where the next one resumes. */
export interface Walked<T> {
  users: T[];
  /** A cursor past every bucket read (set only when the budget of reads ran out before the page filled). */
  resume?: string;
}

/** A position's term: positions are a term, or a term, a tab and a tie-breaker. */
const termOf = (position: string) => position.split('\t', 1)[0];

/**
 * Up to `want` users of `scopes` (without repeats), ordered by `position` (null: not listed),
 * after `after` and starting with `q` when given. A user is taken from the bucket of its
 * position's term only, so one found in several buckets (by several terms) comes once, in its
 * place. `budget` bounds the bucket reads (one per scope that has the bucket): past it, a short
 * page ends with a cursor to resume at.
 */
export async function walkUsers<T extends Listed>(
  scopes: ListScope<T>[],
  from: { after?: string; q?: string },
  want: number,
  position: (user: T) => string | null,
  budget = Infinity,
): Promise<Walked<T>> {
  const { after, q } = from;
  const start = after !== undefined && (q === undefined || after > q) ? after : (q ?? '');
  const inRange = (x: string) => !allBefore(x, start) && (q === undefined || !allAfter(x, q));
  const placed = (u: T, key: string) => {
    const at = position(u);
    const fits =
      at !== null && bucketKeyOf(termOf(at)) === key && (after === undefined || at > after) && (q === undefined || at.startsWith(q));
    return fits ? { u, at } : null;
  };
  const page: T[] = [];
  const seen = new Set<string>();
  let read = 0;

  const groups = [...(await children(scopes.map((s) => s.id)))];
  for (const [g, [group, groupScopes]] of groups.entries()) {
    if (q !== undefined && allAfter(group, q)) break;
    if (!inRange(group)) continue;
    const buckets = [...(await children(groupScopes.map((i) => groupId(scopes[i].id, group))))]
      .map(([key, at]) => ({ key, scopes: at.map((k) => scopes[groupScopes[k]]) }))
      .filter(({ key }) => pastBucket(key) > start && (q === undefined || !allAfter(key, q)));
    for (let i = 0; i < buckets.length; i += PARALLEL_BUCKETS) {
      const batch = buckets.slice(i, i + PARALLEL_BUCKETS);
      const found = await Promise.all(batch.map(({ key, scopes: at }) => Promise.all(at.map((s) => s.read(key)))));
      found.forEach((users, b) => {
        const all = users.flat();
        read += users.length;
        const fresh = all.flatMap((u) => {
          const p = placed(u, batch[b].key);
          if (!p || seen.has(String(u._id))) return [];
          seen.add(String(u._id)); // a user of two scopes (its tenancy's and its domain's) comes in both reads
          return [p];
        });
        page.push(...fresh.sort((x, y) => (x.at < y.at ? -1 : 1)).map((p) => p.u));
      });
      if (page.length >= want) return { users: page.slice(0, want) };
      const more = i + PARALLEL_BUCKETS < buckets.length || g < groups.length - 1;
      if (read >= budget && more) return { users: page, resume: pastBucket(batch[batch.length - 1].key) };
    }
  }
  return { users: page };
}
