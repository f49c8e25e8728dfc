import { expect, test } from 'vitest';
import type { Options } from 'express-rate-limit';
import { RateLimitHitModel } from '../../lib/models';
import { MongoRateLimitStore } from '../../web/http/rate-limit-store';
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
