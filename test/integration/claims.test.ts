import { expect, test } from 'vitest';
import mongoose from 'mongoose';
import { claimAll, claimOnce, releaseClaim, withLock } from '../../lib/claims';
import { commandsDuring } from '../support/db-commands';
import { ClaimModel } from '../../lib/models';
import { useStack } from '../support/stack';

// Its own database and namespace, nothing else: these tests work below the web tier.
useStack({ web: false });

test('claimOnce: of many concurrent claims of one key exactly one wins, every round', async () => {
  for (let round = 0; round < 10; round++) {
    const results = await Promise.all(Array.from({ length: 6 }, () => claimOnce(`race:${round}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
  }
});

test('claimAll: callers claiming at once share inserts, and each key still has exactly one winner', async () => {
  const expiresAt = new Date(Date.now() + 60_000);
  let results: boolean[][] = [];
  // 12 sign-ins at once, each claiming its own assertion and one of 3 request IDs.
  const commands = await commandsDuring(async () => {
    results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        claimAll([
          { key: `assertion:${i}`, expiresAt },
          { key: `request:${i % 3}`, expiresAt },
        ]),
      ),
    );
  });
  expect(results.map(([own]) => own)).toEqual(Array(12).fill(true));
  for (let r = 0; r < 3; r++) expect(results.filter(([, request], i) => i % 3 === r && request)).toHaveLength(1);
  // All 12 ask in one tick: the first goes alone, the other 11 queue behind it and go as one insert.
  expect(commands.filter((c) => c === 'insert claims')).toHaveLength(2);
  expect(await ClaimModel.countDocuments({ key: { $regex: '^(assertion|request):' } })).toBe(15);
});

test('a released claim can be claimed again', async () => {
  expect(await claimOnce('retryable')).toBe(true);
  expect(await claimOnce('retryable')).toBe(false);
  await releaseClaim('retryable');
  expect(await claimOnce('retryable')).toBe(true);
});

test('withLock runs read-check-write sections one at a time', async () => {
  const doc = await mongoose.connection.db!.collection('counter').insertOne({ n: 0 });
  const bump = () =>
    withLock('counter', async () => {
      const cur = await mongoose.connection.db!.collection('counter').findOne({ _id: doc.insertedId });
      await new Promise((r) => setTimeout(r, 5));
      await mongoose.connection.db!.collection('counter').updateOne({ _id: doc.insertedId }, { $set: { n: cur!.n + 1 } });
    });
  await Promise.all(Array.from({ length: 8 }, bump));
  expect((await mongoose.connection.db!.collection('counter').findOne({ _id: doc.insertedId }))!.n).toBe(8);
  expect(await ClaimModel.countDocuments({ key: 'lock:counter' })).toBe(0);
});

test('a lock left by a crashed holder is taken over once it expires', async () => {
  await ClaimModel.create({ key: 'lock:stale', expiresAt: new Date(Date.now() - 1000) });
  await expect(withLock('stale', async () => 'ran', { waitMs: 500 })).resolves.toBe('ran');
});
