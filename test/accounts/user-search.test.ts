import { Types } from 'mongoose';
import { beforeAll, describe, expect, test } from 'vitest';
import { indexUserList } from '../../lib/accounts/index-user-list';
import { parseUserFilter, searchUsers } from '../../lib/accounts/user-search';
import { UserModel } from '../../lib/models';
import { nameTermsOf } from '../../lib/models/user-name-terms';
import { useStack } from '../support/stack';

/**
 * The staff console's user search across every tenancy, read bucket by bucket: "starts with"
 * the email or any word of the display name, any case; paged without skipping or repeating
 * anyone; with the kind, status and staff filters; kept true when a name changes and for
 * users written around the model once the back-fill has keyed them.
 */
useStack({ web: false });

/** Every user of a search, page by page (`limit` a page): emails in order, checking each page's cursor. */
async function walk(query: Record<string, string> = {}, limit = 7): Promise<string[]> {
  const seen: string[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 500; pages++) {
    const page = await searchUsers(parseUserFilter({ ...query, limit: String(limit), ...(after ? { after } : {}) }));
    seen.push(...page.users.map((u) => u.email));
    if (!page.next) return seen;
    expect(page.users.length).toBeLessThanOrEqual(limit);
    after = page.next;
  }
  throw new Error('the search never ended');
}
const search = async (q: string, more: Record<string, string> = {}) => (await walk({ q, ...more })).sort();

type Person = {
  email: string;
  displayName?: string;
  kind: 'sso' | 'standard';
  tenantId?: string;
  status?: 'active' | 'suspended';
  isStaff?: boolean;
};
const people: Person[] = [
  { email: 'mary.smith@alpine.test', displayName: 'Mary Jane Smith', kind: 'sso', tenantId: 'tenant-a' },
  { email: 'jdoe@bellows.test', displayName: 'Jane Doe', kind: 'sso', tenantId: 'tenant-b', status: 'suspended' },
  { email: 'janet.moss@alpine.test', displayName: 'Janet Moss', kind: 'standard' },
  { email: 'bob@bellows.test', displayName: 'Bob Marjane', kind: 'standard' }, // "jane" inside a word
  { email: 'x.jane@elsewhere.test', displayName: 'Xavier Ray', kind: 'standard', status: 'suspended' }, // "jane" inside the email
  { email: 'staffer@entrada.test', displayName: 'Sam Staff', kind: 'standard', isStaff: true },
  { email: 'nameless@alpine.test', kind: 'sso', tenantId: 'tenant-a' },
  // Many sharing a name and an email bucket ("james.sm"), spread over two tenancies.
  ...Array.from({ length: 45 }, (_, i) => ({
    email: `james.smith${i}@${i % 2 ? 'alpine' : 'bellows'}.test`,
    displayName: `James Smith ${i}`,
    kind: i % 3 ? ('sso' as const) : ('standard' as const),
    tenantId: i % 3 ? `tenant-${i % 2 ? 'a' : 'b'}` : undefined,
    status: i % 5 ? ('active' as const) : ('suspended' as const),
  })),
];
const everyone = people.map((p) => p.email).sort();

beforeAll(async () => {
  for (const p of people) await UserModel.create(p);
});

describe('the staff user search: starts with', () => {
  test('matches the start of the email or of any word of the name, in any case; never inside a word', async () => {
    expect(await search('jane')).toEqual(['janet.moss@alpine.test', 'jdoe@bellows.test', 'mary.smith@alpine.test']);
    expect(await search('  JANE ')).toEqual(await search('jane'));
    expect(await search('jane sm')).toEqual(['mary.smith@alpine.test']); // words in a row
    expect(await search('jdoe')).toEqual(['jdoe@bellows.test']); // email prefix
    expect(await search('mary.smith@al')).toEqual(['mary.smith@alpine.test']);
    expect(await search('smith')).toEqual(['mary.smith@alpine.test', ...everyone.filter((e) => e.startsWith('james.'))].sort());
    expect(await search('arjane')).toEqual([]);
    expect(await search('.*')).toEqual([]); // text, not a pattern
    expect(nameTermsOf('  Mary   Jane Smith ')).toEqual(['mary jane smith', 'jane smith', 'smith']);
  });

  test('pages without skipping or repeating anyone, at any page size, in the documented order', async () => {
    const all = await walk({}, 7);
    expect(all).toEqual(everyone); // no query: email order
    expect(await walk({}, 1)).toEqual(everyone);
    for (const [q, limit] of [
      ['james', 4],
      ['james smith 1', 3],
      ['j', 5],
      ['s', 2],
    ] as const) {
      const paged = await walk({ q }, limit);
      expect(new Set(paged).size, q).toBe(paged.length);
      expect(paged, q).toEqual(await walk({ q }, 200));
    }
    // Ordered by each user's first matching term: Mary Jane Smith by "smith", before "smith 0", "smith 1", "smith 10"…
    const bySmith = Array.from({ length: 45 }, (_, i) => i).sort((a, b) => (`smith ${a}` < `smith ${b}` ? -1 : 1));
    expect(await walk({ q: 'smith' }, 6)).toEqual([
      'mary.smith@alpine.test',
      ...bySmith.map((i) => `james.smith${i}@${i % 2 ? 'alpine' : 'bellows'}.test`),
    ]);
  });

  test('combines the kind, status and staff filters with the text, and pages rare matches', async () => {
    const james = people.filter((p) => p.email.startsWith('james.'));
    const want = (f: (p: Person) => boolean) =>
      people
        .filter(f)
        .map((p) => p.email)
        .sort();
    expect(await search('james', { kind: 'sso', status: 'suspended' })).toEqual(
      want((p) => james.includes(p) && p.kind === 'sso' && p.status === 'suspended'),
    );
    expect((await walk({ status: 'suspended' }, 2)).sort()).toEqual(want((p) => p.status === 'suspended'));
    expect(await walk({ staff: 'true' })).toEqual(['staffer@entrada.test']);
    expect(await search('ja', { kind: 'standard' })).toEqual(
      want((p) => p.kind === 'standard' && (p.email.startsWith('ja') || p.email === 'janet.moss@alpine.test')),
    );
  });

  test('a short read budget ends pages early with a cursor, and the next page resumes there without a gap', async () => {
    // Whole short names ("Li", "Lin": buckets of their own) next to longer ones they prefix ("Lindqvist").
    for (const [email, displayName] of [
      ['li.one@x.test', 'Li'],
      ['li.two@x.test', 'Li'],
      ['lin@x.test', 'Lin'],
      ['lindqvist@x.test', 'Lindqvist'],
    ])
      await UserModel.create({ email, displayName, kind: 'standard' });
    const walkShort = async (query: Record<string, string>) => {
      const seen: string[] = [];
      let after: string | undefined;
      let short = 0;
      for (let pages = 0; pages < 500; pages++) {
        const page = await searchUsers(parseUserFilter({ ...query, limit: '3', ...(after ? { after } : {}) }), 1);
        seen.push(...page.users.map((u) => u.email));
        if (page.users.length < 3 && page.next) short++;
        if (!page.next) return { seen, short };
        after = page.next;
      }
      throw new Error('the search never ended');
    };
    for (const query of [{ q: 'li' }, { q: 'j' }, { status: 'suspended' }, {}] as Record<string, string>[]) {
      const { seen, short } = await walkShort(query);
      expect(short, JSON.stringify(query)).toBeGreaterThan(0);
      expect(seen, JSON.stringify(query)).toEqual(await walk(query, 200));
    }
    expect(await walk({ q: 'li' }, 200)).toEqual(['li.one@x.test', 'li.two@x.test', 'lin@x.test', 'lindqvist@x.test']);
    // Resumed just past the bucket of the whole name "li" (a cursor such a page ends with), the rest of its group follows.
    expect(await walk({ q: 'li', after: 'li\t\uffff' }, 200)).toEqual(['lin@x.test', 'lindqvist@x.test']);
  });

  test('a renamed user is found by the new name and not the old, whatever the write', async () => {
    const janet = await UserModel.findOne({ email: 'janet.moss@alpine.test' }).orFail();
    await UserModel.updateOne({ _id: janet._id }, { $set: { displayName: 'Janet Quill' } }); // SCIM's PATCH / PUT
    expect(await search('quill')).toEqual(['janet.moss@alpine.test']);
    expect(await search('moss')).toEqual([]);
    const doc = await UserModel.findById(janet._id).orFail();
    doc.displayName = 'Janet Zebedee';
    await doc.save();
    expect(await search('zebedee')).toEqual(['janet.moss@alpine.test']);
    expect(await search('quill')).toEqual([]);
    await UserModel.updateOne({ _id: janet._id }, { $unset: { displayName: 1 } });
    expect(await search('zebedee')).toEqual([]);
    expect(await search('janet')).toEqual(['janet.moss@alpine.test']); // still by email
  });

  test('users written around the model are found once the back-fill has keyed them', async () => {
    const raw = { _id: new Types.ObjectId(), email: 'raw.load@bulk.test', displayName: 'Rowena Loader', kind: 'sso', status: 'active' };
    await UserModel.collection.insertMany([raw]);
    expect(await search('rowena')).toEqual([]);
    expect(await indexUserList()).toBeGreaterThanOrEqual(1);
    expect(await search('rowena')).toEqual(['raw.load@bulk.test']);
    expect(await search('loader')).toEqual(['raw.load@bulk.test']);
    expect(await indexUserList()).toBe(0);
  });
});
