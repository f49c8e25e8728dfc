import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { beforeAll, describe, expect, test } from 'vitest';
import { copyLastSignIns } from '../../lib/accounts/copy-last-sign-ins';
import { indexUserList } from '../../lib/accounts/index-user-list';
import { SsoIdentityModel, TenantModel, UserModel } from '../../lib/models';
import { listKeyOf } from '../../lib/models/user-list-keys';
import { listTenancyUsers, parseUserListQuery } from '../../lib/portal/users';
import { commandsDuring } from '../support/db-commands';
import { useStack } from '../support/stack';

/**
 * The portal's user list read bucket by bucket (lib/portal/user-list-walk.ts): in email order
 * across buckets and groups, with skewed emails (many people share a first name and so a
 * bucket), paged and searched by prefix, never showing another tenancy's users; and kept true
 * by every kind of write that sets an email or a tenancy, and by the back-fill of users
 * written around the model.
 */
useStack({ web: false });
const A = randomUUID();
const B = randomUUID();
const expected: string[] = [];
const ids: Record<string, Types.ObjectId> = {};

/** Every email of the list, page by page (`limit` a page), checking each page's cursor. */
async function walk(tenantId: string, query: Record<string, string> = {}, limit = 7): Promise<string[]> {
  const seen: string[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 500; pages++) {
    const page = await listTenancyUsers(tenantId, parseUserListQuery({ ...query, limit: String(limit), ...(after ? { after } : {}) }));
    seen.push(...page.users.map((u) => u.email));
    if (!page.next) return seen;
    expect(page.users).toHaveLength(limit);
    after = page.next;
  }
  throw new Error('the list never ended');
}

const sso = (email: string, tenantId = A, extra = {}) => ({ email, kind: 'sso' as const, tenantId, ...extra });
const standard = (email: string, extra = {}) => ({ email, kind: 'standard' as const, passwordHash: 'x', ...extra });

beforeAll(async () => {
  await TenantModel.create({ tenantId: A, name: 'Alpine Ski House', stage: 'live', domains: ['alpine.test'] });
  await TenantModel.create({ tenantId: B, name: 'Bellows College', stage: 'live', domains: ['bellows.test'] });
  const mine = [
    // One bucket ("james.sm") of 40, another in the same group ("james.jo"), and neighbours.
    ...Array.from({ length: 40 }, (_, i) => sso(`james.smith${i}@alpine.test`)),
    ...Array.from({ length: 12 }, (_, i) => sso(`james.jones${i}@alpine.test`)),
    ...Array.from({ length: 9 }, (_, i) => sso(`jane${i}@alpine.test`)),
    sso('jo@alpine.test'),
    // Keys of several lengths side by side (to two characters past the first separator, 8 to 16).
    ...['christopher.jones', 'christopher.j', 'christopher', 'christophe.x', 'chris', 'chris.b', 'christopherrobin.z', 'a.b', 'ab'].map(
      (l) => sso(`${l}@alpine.test`),
    ),
    sso('a@alpine.test'),
    sso('zoe.zed@alpine.test', A, { migration: { startedAt: new Date(), completedAt: new Date() } }),
    sso('guest@partner.test'), // the tenancy's by its tenant ID, whatever the domain
    ...Array.from({ length: 6 }, (_, i) => standard(`std${i}@alpine.test`)), // standard accounts of its domain
    standard('james.smith-standard@alpine.test'),
  ];
  const others = [
    ...Array.from({ length: 20 }, (_, i) => sso(`james.smith${i}@bellows.test`, B)),
    standard('james.smith@elsewhere.test'),
    standard('std0@bellows.test'),
    sso('deleted.one@alpine.test', A, { status: 'deleted' }),
  ];
  for (const u of [...mine, ...others]) ids[u.email] = (await UserModel.create(u))._id;
  expected.push(...mine.map((u) => u.email).sort());
});

describe('the portal user list, bucket by bucket', () => {
  test('pages through the whole tenancy in email order, each user once, nobody else', async () => {
    expect(await walk(A)).toEqual(expected);
    expect(await walk(A, {}, 50)).toEqual(expected);
    expect(await walk(A, {}, 1)).toEqual(expected);
    expect(await walk(B)).toEqual([...Array.from({ length: 20 }, (_, i) => `james.smith${i}@bellows.test`), 'std0@bellows.test'].sort());
  });

  test('splits a common first name by the surname: keys run to two characters past the first separator', () => {
    expect(
      ['michael.smith1@x.test', 'christopher.jones@x.test', 'mary.lee12@x.test', 'jo@x.test', 'averyverylongname.x@x.test'].map(listKeyOf),
    ).toEqual(['michael.sm', 'christopher.jo', 'mary.lee', 'jo@x.tes', 'averyverylongnam']);
    expect(listKeyOf('deleted-1@tombstone.invalid')).toBeNull();
  });

  test('searches by email prefix, shorter and longer than a bucket key, paged', async () => {
    for (const q of [
      'j',
      'ja',
      'james.',
      'james.smith',
      'james.smith1',
      'james.smith-standard@alpine.test',
      'jo',
      's',
      'zz',
      'g',
      'chris',
      'christopher.j',
      'a',
    ])
      expect(await walk(A, { q }, 5), q).toEqual(expected.filter((e) => e.startsWith(q)));
  });

  test('follows writes that set an email or a tenancy, and the tombstone', async () => {
    const renamed = ids['james.smith3@alpine.test'];
    await UserModel.updateOne({ _id: renamed }, { $set: { email: 'aaron@alpine.test' } }); // SCIM's change of email
    const joining = ids['james.smith@elsewhere.test'];
    await UserModel.updateOne({ _id: joining }, { $set: { status: 'migrating', tenantId: A } }); // migration starts
    const leaving = ids['jane4@alpine.test'];
    await UserModel.updateOne({ _id: leaving }, { $set: { email: `deleted-${leaving}@tombstone.invalid`, status: 'deleted' } });
    const now = expected
      .filter((e) => !['james.smith3@alpine.test', 'jane4@alpine.test'].includes(e))
      .concat('aaron@alpine.test', 'james.smith@elsewhere.test')
      .sort();
    expect(await walk(A)).toEqual(now);
    expect(await UserModel.findById(leaving, { listKey: 1 }).lean()).toMatchObject({ listKey: '' }); // in no bucket
  });

  test('users written around the model are listed once the back-fill has keyed them', async () => {
    const raw = Array.from({ length: 5 }, (_, i) => ({
      _id: new Types.ObjectId(),
      email: `bulk${i}@bellows.test`,
      kind: 'sso',
      status: 'active',
      tenantId: B,
    }));
    await UserModel.collection.insertMany(raw);
    expect(await walk(B, { q: 'bulk' })).toEqual([]);
    expect(await indexUserList()).toBeGreaterThanOrEqual(5);
    expect(await walk(B, { q: 'bulk' })).toEqual(raw.map((u) => u.email));
    expect(await indexUserList()).toBe(0);
  });

  test('a new user costs the directory one insert at most, none once its buckets are known', async () => {
    const create = (email: string) => commandsDuring(() => UserModel.create(sso(email)));
    expect(await create('new.comer1@alpine.test')).toEqual(['insert userlistbuckets', 'insert users']);
    expect(await create('new.comer2@alpine.test')).toEqual(['insert users']); // same bucket ("new.come")
    // Two writers of one new group ("ra") at once: both insert its entries, the later one's duplicates are ignored.
    await Promise.all([UserModel.create(sso('racer.one@alpine.test')), UserModel.create(sso('racer.two@alpine.test'))]);
    expect(await walk(A, { q: 'racer' })).toEqual(['racer.one@alpine.test', 'racer.two@alpine.test']);
  });

  test("users bound before they carried it get their identity's last sign-in, once, never over a newer one", async () => {
    const page = async () =>
      Object.fromEntries(
        (await listTenancyUsers(A, parseUserListQuery({ q: 'jane', limit: '50' }))).users.map((u) => [u.email, u.lastSignInAt]),
      );
    const identity = (email: string, lastLoginAt: Date) =>
      SsoIdentityModel.create({ tenantId: A, objectId: randomUUID(), userId: ids[email], nameId: email, email, lastLoginAt });
    // Bound as before: the identity has the time, the user not.
    await identity('jane1@alpine.test', new Date('2026-10-01T08:00:00Z'));
    await identity('jane2@alpine.test', new Date('2026-10-02T08:00:00Z'));
    await UserModel.updateOne({ _id: ids['jane2@alpine.test'] }, { $set: { lastSignInAt: new Date('2026-11-05T08:00:00Z') } });
    expect(await page()).toMatchObject({ 'jane1@alpine.test': null });
    expect(await copyLastSignIns()).toBe(1);
    expect(await page()).toMatchObject({
      'jane1@alpine.test': '2026-10-01T08:00:00.000Z',
      'jane2@alpine.test': '2026-11-05T08:00:00.000Z', // its own, newer, kept
      'jane3@alpine.test': null,
    });
    // Done once: later worker starts do not pass over the identities again.
    await identity('jane3@alpine.test', new Date('2026-10-03T08:00:00Z'));
    expect(await copyLastSignIns()).toBe(0);
  });
});
