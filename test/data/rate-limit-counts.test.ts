import { expect, test } from 'vitest';
import type { Options } from 'express-rate-limit';
import { RateLimitHitModel } from '../../lib/models';
import { MongoRateLimitStore } from '../../web/http/rate-limit-store';
import { AttemptLimit } from '../../lib/attempt-limit';
import mongoose from 'mongoose';
import { useStack } from '../support/stack';

/**
 * Rate-limit counters under concurrency, on the embedded default: FerretDB's `$inc` loses
 * updates, so the store counts inserted rows. No burst may be under-counted.
 */
useStack({ web: false });

const store = (name: string, limit: number) => {
  const s = new MongoRateLimitStore(name);
  s.init({ windowMs: 15 * 60_000, limit } as Options);
  return s;
};

test('concurrent hits are all counted', async () => {
  const s = store('burst', 1_000);
  for (let round = 0; round < 5; round++) {
    await Promise.all(Array.from({ length: 12 }, () => s.increment('10.0.0.1')));
    expect((await s.get('10.0.0.1'))?.totalHits).toBe(12 * (round + 1));
  }
});

test('a concurrent burst at the limit lets at most `limit` requests through, every round', async () => {
  for (let round = 0; round < 5; round++) {
    const s = store(`limit-${round}`, 5);
    const seen = await Promise.all(Array.from({ length: 20 }, () => s.increment('10.0.0.2')));
    expect(seen.filter((r) => r.totalHits <= 5).length).toBeLessThanOrEqual(5);
  }
});

test('one request after another: exactly `limit` get through', async () => {
  const s = store('sequential', 5);
  const seen = [];
  for (let i = 0; i < 8; i++) seen.push(await s.increment('10.0.0.5'));
  expect(seen.map((r) => r.totalHits <= 5)).toEqual([true, true, true, true, true, false, false, false]);
});

test('refused requests add no rows: a flood does not grow the collection', async () => {
  const s = store('flood', 3);
  for (let i = 0; i < 30; i++) await s.increment('10.0.0.3');
  expect(await RateLimitHitModel.countDocuments({ k: { $regex: '^flood:' } })).toBe(4);
});

test('decrement and reset act on the current window only', async () => {
  const s = store('undo', 100);
  await Promise.all([1, 2, 3].map(() => s.increment('10.0.0.4')));
  await s.decrement('10.0.0.4');
  expect((await s.get('10.0.0.4'))?.totalHits).toBe(2);
  await s.resetKey('10.0.0.4');
  expect(await s.get('10.0.0.4')).toBeUndefined();
});

test('sign-in attempts: a concurrent burst is counted in full; successes given back at once go in one command and stop counting', async () => {
  const limit = new AttemptLimit('giveback', 15 * 60_000, { outer: 100, inner: 10 });
  const burst = await Promise.all(Array.from({ length: 12 }, () => limit.begin('10.0.0.6', 'ana@example.test')));
  expect(Math.max(...burst.map((a) => a.counts.inner))).toBe(12);
  expect(burst.filter((a) => a.over === 'inner').length).toBeGreaterThanOrEqual(2);

  const deletes: unknown[] = [];
  const client = mongoose.connection.getClient();
  const listener = (e: { commandName: string; command: Record<string, unknown> }) => {
    if (e.commandName === 'delete') deletes.push(e.command);
  };
  client.on('commandStarted', listener);
  try {
    for (const attempt of burst) limit.withdrawSoon(attempt);
    await expect.poll(() => RateLimitHitModel.countDocuments({ k: { $regex: '^giveback:' } })).toBe(0);
  } finally {
    client.off('commandStarted', listener);
  }
  expect(deletes).toHaveLength(1);
  expect((await limit.begin('10.0.0.6', 'ana@example.test')).counts).toMatchObject({ inner: 1, outer: 1 });
});

test('sign-in attempts: after a burst past the limit the window stays closed, its rows given back, and exactly one refusal is the audited one', async () => {
  const limit = new AttemptLimit('closing', 15 * 60_000, { outer: 100, inner: 5 });
  for (let round = 0; round < 3; round++) {
    const email = `burst${round}@example.test`;
    const burst = await Promise.all(Array.from({ length: 20 }, () => limit.begin('10.0.0.7', email)));
    const refused = burst.filter((a) => a.over);
    expect(burst.length - refused.length).toBeLessThanOrEqual(5);
    const audited = await Promise.all(refused.map((a) => limit.refuse(a)));
    expect(audited.filter(Boolean)).toHaveLength(1);
    // Every later attempt in the window is refused, and refusing it adds no row.
    for (let i = 0; i < 3; i++) {
      const later = await limit.begin('10.0.0.7', email);
      expect(later).toMatchObject({ over: 'inner', closed: true });
      expect(await limit.refuse(later)).toBe(false);
    }
    const rows = await RateLimitHitModel.countDocuments({ k: { $regex: '^closing:' }, sub: email });
    expect(rows).toBeLessThanOrEqual(5 + 1 + refused.length); // the allowed, the marker(s), never the refused once closed
  }
});
