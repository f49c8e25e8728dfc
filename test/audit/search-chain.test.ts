import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { beforeAll, expect, test } from 'vitest';
import { audit } from '../../lib/audit';
import { appendToChain } from '../../lib/audit-chain/append';
import { AuditEventModel } from '../../lib/models';
import { findNewest, listAuditEvents, parseAuditFilter, serializeEvent, type SerializedAuditEvent } from '../../lib/audit-search';
import { newestFromChain } from '../../lib/audit-search-chain';
import { useStack } from '../support/stack';

/**
 * A tenancy's audit search read from its chain (lib/audit-search-chain.ts) must give exactly the
 * database's answer: the same events in the same (at, _id) order, page after page, none skipped
 * or repeated, even where chain order and time order differ (events stamped out of order, equal
 * times) and whether a bucket is read from its page or from the events.
 */
useStack({ web: false });

const TENANT = randomUUID();
const OTHER = randomUUID();
const EVENTS = 640;
const ACTIONS = ['auth.signin', 'auth.signout', 'file.upload', 'sso.signed-in'];
const users = Array.from({ length: 5 }, () => String(new Types.ObjectId()));
/**
 * Stamped in the future (never restamped as late), 200 ms apart, every 7th 50 s late (stored up to
 * 250 positions after events stamped later: within the 60 s bound), every 5th at its predecessor's time.
 */
const base = Date.now() + 10 * 60_000;
const stamp = (i: number) => base + (i - (i % 5 === 4 ? 1 : 0)) * 200 + (i % 7 === 0 ? 50_000 : 0);

beforeAll(async () => {
  await Promise.all(
    Array.from({ length: EVENTS }, (_, i) => {
      const user = users[i % users.length];
      return appendToChain({
        _id: new Types.ObjectId(),
        at: new Date(stamp(i)),
        action: ACTIONS[i % ACTIONS.length],
        outcome: i % 6 === 0 ? 'failure' : 'success',
        actor: { kind: 'user', userId: user, email: `u${i % users.length}@search.test` },
        target: { type: 'user', id: users[(i + 1) % users.length] },
        tenantId: i % 4 === 3 ? OTHER : TENANT,
        details: { i },
      });
    }),
  );
});

const filters: Record<string, string>[] = [
  { tenant: TENANT },
  { tenant: TENANT, action: 'auth.signin' },
  { tenant: TENANT, action: 'auth.*', outcome: 'failure' },
  { tenant: TENANT, actor: 'u2@search.test' },
  { tenant: TENANT, user: users[1] },
  { tenant: TENANT, from: new Date(base + 40_000).toISOString(), to: new Date(base + 80_000).toISOString() },
  { tenant: TENANT, target: users[3], action: 'file.upload' },
];

/** Every page of a search, `limit` at a time, following `next`. */
async function allPages(query: Record<string, string>, limit: number): Promise<SerializedAuditEvent[][]> {
  const pages: SerializedAuditEvent[][] = [];
  for (let before: string | null = ''; before !== null;) {
    const page = await listAuditEvents(parseAuditFilter({ ...query, limit: String(limit), ...(before ? { before } : {}) }));
    pages.push(page.events);
    before = page.next;
  }
  return pages;
}

test('every page read from the chain is the database page, and paging neither skips nor repeats an event', async () => {
  for (const query of filters) {
    const expected = (await findNewest(parseAuditFilter(query), 1000)).map(serializeEvent);
    expect(expected.length, JSON.stringify(query)).toBeGreaterThan(0);
    for (const limit of [13, 50]) {
      const pages = await allPages(query, limit);
      expect(pages.flat(), `${JSON.stringify(query)} by ${limit}`).toEqual(expected);
      expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
    }
  }
});

test('the chain answers a tenancy search from its newest buckets; the database answers what the chain cannot', async () => {
  const first = async (query: Record<string, string>, count: number) => newestFromChain(parseAuditFilter(query), count);
  const byChain = await first({ tenant: TENANT, action: 'auth.signin' }, 51);
  expect(byChain?.map(serializeEvent)).toEqual(
    (await findNewest(parseAuditFilter({ tenant: TENANT, action: 'auth.signin' }), 51)).map(serializeEvent),
  );
  const page2 = await first({ tenant: TENANT, before: byChain![20]._id.toHexString() }, 30);
  expect(page2?.map(serializeEvent)).toEqual(
    (await findNewest(parseAuditFilter({ tenant: TENANT, before: byChain![20]._id.toHexString() }), 30)).map(serializeEvent),
  );
  // Nothing matches: the walk reads the whole chain, and the tenancy has no events from before it.
  expect(await first({ tenant: TENANT, actor: 'nobody@search.test' }, 51)).toEqual([]);
  // No tenancy, or an export cursor: the database.
  expect(await first({ action: 'auth.signin' }, 51)).toBeNull();
  // A cursor in another chain is found by the database too, and an unknown one is a 400.
  await expect(first({ tenant: TENANT, before: String(new Types.ObjectId()) }, 51)).rejects.toThrow(/No audit event/);
});

test('a tenancy with events from before the chain has them found by the database', async () => {
  const tenantId = randomUUID();
  const legacy = await AuditEventModel.create({
    at: new Date(Date.now() - 86_400_000),
    action: 'auth.signin',
    outcome: 'success',
    actor: { kind: 'system' },
    tenantId,
  });
  await audit({ action: 'auth.signin', outcome: 'success', tenantId });
  expect(await newestFromChain(parseAuditFilter({ tenant: tenantId }), 51)).toBeNull();
  const page = await listAuditEvents(parseAuditFilter({ tenant: tenantId }));
  expect(page.events.map((e) => e.id).slice(1)).toEqual([String(legacy._id)]);
});
