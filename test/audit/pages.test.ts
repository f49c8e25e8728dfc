import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { expect, test } from 'vitest';
import { audit } from '../../lib/audit';
import { readPage, writePage } from '../../lib/audit-chain/pages';
import { readAfter, readBucket, readStoredBucket } from '../../lib/audit-chain/read';
import { verifyChain } from '../../lib/audit-chain/verify';
import { AuditPageModel } from '../../lib/models';
import { commandsDuring } from '../support/db-commands';
import { useStack } from '../support/stack';

/**
 * Pages (lib/audit-chain/pages.ts): every full bucket of a chain copied into one document, which
 * is what streams and the pull API read. They must hold exactly the stored events, whoever
 * wrote them, and verification must notice one that does not.
 */
useStack({ web: false });

const appendMany = async (tenantId: string, n: number) => {
  for (let i = 0; i < n; i++) await audit({ action: 'test.append', outcome: 'success', tenantId, details: { i } });
};
const pagesOf = (tenantId: string) => AuditPageModel.countDocuments({ _id: { $regex: `^${tenantId}:` } });
const plain = (events: unknown) => JSON.parse(JSON.stringify(events));

test('each bucket a writer fills gets its page, holding exactly its events; readers then read one document per bucket', async () => {
  const tenantId = randomUUID();
  await appendMany(tenantId, 250); // buckets 0 (seq 1–99) and 1 (100–199) full, 2 filling
  await expect.poll(() => pagesOf(tenantId)).toBe(2);
  for (const bucket of [0, 1]) expect(plain(await readPage(tenantId, bucket))).toEqual(plain(await readStoredBucket(tenantId, bucket)));
  expect(await readPage(tenantId, 2)).toBeNull();

  expect(await commandsDuring(() => readBucket(tenantId, 1))).toEqual(['find auditpages']);
  const chain = await readAfter(tenantId, 0, 300);
  expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
  const stored = await Promise.all([0, 1, 2].map((bucket) => readStoredBucket(tenantId, bucket)));
  expect(plain(chain)).toEqual(plain(stored.flat()));
});

test('a full bucket without a page (its writer stopped first) gets one from its first reader', async () => {
  const tenantId = randomUUID();
  await appendMany(tenantId, 120);
  await expect.poll(() => pagesOf(tenantId)).toBe(1);
  await AuditPageModel.deleteMany({ _id: { $regex: `^${tenantId}:` } });

  expect((await readAfter(tenantId, 0, 200)).length).toBe(120);
  await expect.poll(() => pagesOf(tenantId)).toBe(1);
  expect(plain(await readPage(tenantId, 0))).toEqual(plain(await readStoredBucket(tenantId, 0)));
  // Racing writers store one page: the second is a no-op.
  await writePage(tenantId, 0, await readStoredBucket(tenantId, 0));
  expect(await pagesOf(tenantId)).toBe(1);
  await expect(writePage(tenantId, 1, await readStoredBucket(tenantId, 1))).rejects.toThrow('bucket 1 is not full');
});

test('verification reports a page that differs from the events it copies', async () => {
  const tenantId = randomUUID();
  await appendMany(tenantId, 100);
  await expect.poll(() => pagesOf(tenantId)).toBe(1);
  expect(await verifyChain(tenantId)).toMatchObject({ ok: true, events: 100 });

  // Someone edits the copy streams read, leaving the stored events alone.
  const events = (await readPage(tenantId, 0))!;
  events[41].details = { i: 'changed' };
  await AuditPageModel.collection.replaceOne(
    { _id: `${tenantId}:0` as never },
    { events: new mongoose.mongo.BSON.Binary(mongoose.mongo.BSON.serialize({ events })) },
  );
  expect(await verifyChain(tenantId)).toMatchObject({
    ok: false,
    firstBroken: { seq: 42, problem: 'page-mismatch', eventId: events[41]._id.toHexString() },
  });
});
