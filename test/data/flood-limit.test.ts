import { expect, test } from 'vitest';
import { FloodLimit } from '../../lib/flood-limit';
import { RateLimitHitModel } from '../../lib/models';
import { commandsDuring } from '../support/db-commands';
import { failNextCollectionCall } from '../support/faults';
import { useStack } from '../support/stack';

/**
 * The SAML endpoints' flood limits (lib/flood-limit.ts): exact within a process at no database
 * command per request, shared with other processes once a second. Two FloodLimit objects
 * with one name stand for two web processes.
 */
useStack({ web: false });

const HOUR = 60 * 60_000; // windows long enough that none ends during a test
const limits = { outer: 8, inner: 3 };

test('within a process, requests cost no database command and the limits are exact', async () => {
  const flood = new FloodLimit('exact', HOUR, limits);
  const verdicts: Awaited<ReturnType<FloodLimit['take']>>[] = [];
  const commands = await commandsDuring(async () => {
    for (let i = 0; i < 3; i++) verdicts.push(await flood.take('contoso', '10.0.0.1'));
  });
  expect(commands).toEqual([]);
  expect(verdicts.map((v) => v.over)).toEqual([undefined, undefined, undefined]);

  const refused = await flood.take('contoso', '10.0.0.1');
  expect(refused).toMatchObject({ over: 'inner', first: true, counts: { inner: 3, outer: 3 } });
  expect((await flood.take('contoso', '10.0.0.1')).first).toBe(false); // audited once, not per refusal

  for (let i = 2; i <= 6; i++) expect((await flood.take('contoso', `10.0.0.${i}`)).over).toBeUndefined();
  expect((await flood.take('contoso', '10.0.0.7')).over).toBe('outer');
  expect((await flood.take('fabrikam', '10.0.0.1')).over).toBeUndefined(); // another tenancy's budget
});

test('counts are shared in one insert and one read per key, however many requests', async () => {
  const flood = new FloodLimit('batched', HOUR, { outer: 1000, inner: 1000 });
  for (let i = 0; i < 200; i++) await flood.take('contoso', `10.1.0.${i % 50}`);
  const commands = await commandsDuring(() => flood.flush());
  expect(commands).toEqual(['insert ratelimithits', 'find ratelimithits']);
  const rows = await RateLimitHitModel.find({ k: { $regex: '^batched:contoso' } }).lean();
  expect(rows.flatMap((r) => r.hits ?? []).reduce((sum, h) => sum + (h.n ?? 0), 0)).toBe(200);
});

test("a process judges on every process's counts once they are shared", async () => {
  const [a, b] = [new FloodLimit('shared', HOUR, limits), new FloodLimit('shared', HOUR, limits)];
  for (let i = 1; i <= 5; i++) await a.take('contoso', `10.2.0.${i}`);
  await a.flush();
  for (let i = 6; i <= 8; i++) expect((await b.take('contoso', `10.2.0.${i}`)).over).toBeUndefined();
  await b.flush(); // b now knows of a's 5 and its own 3
  expect((await b.take('contoso', '10.2.0.9')).over).toBe('outer');
  // a has not read b's share yet: until its next share it may let through what b did meanwhile,
  // the one interval of slack a flood limit allows, and no more.
  expect((await a.take('contoso', '10.2.0.10')).over).toBeUndefined();
  await a.flush();
  expect((await a.take('contoso', '10.2.0.11')).over).toBe('outer');
  expect((await b.take('contoso', '10.2.0.12')).over).toBe('outer');
});

test('a share that fails keeps its counts: the limit still holds, and the next share sends them', async () => {
  const flood = new FloodLimit('outage', HOUR, limits);
  for (let i = 0; i < 3; i++) await flood.take('contoso', '10.3.0.1');
  failNextCollectionCall(RateLimitHitModel, 'insertMany');
  await flood.flush();
  expect(await RateLimitHitModel.countDocuments({ k: { $regex: '^outage:' } })).toBe(0);
  expect((await flood.take('contoso', '10.3.0.1')).over).toBe('inner');

  await flood.take('contoso', '10.3.0.2');
  await flood.flush();
  const rows = await RateLimitHitModel.find({ k: { $regex: '^outage:' } }).lean();
  expect(rows.flatMap((r) => r.hits ?? []).map(({ s, n }) => [s, n])).toEqual([
    ['10.3.0.1', 3],
    ['10.3.0.2', 1],
  ]);
});
