import { afterAll, expect, test } from 'vitest';
import mongoose from 'mongoose';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { EXPIRING, ensureExpiryIndexes } from '../../lib/expiry';
import { ensureSchedules } from '../../worker/schedules';
import { EXPIRY_SWEEPER_SCHEDULE_ID } from '../../lib/contracts/shared';
import type { ExpirySweepResult } from '../../lib/contracts/expiry';
import { useStack } from '../support/stack';

/**
 * Expiry on the embedded default (FerretDB refuses TTL indexes): the expiry Schedule's
 * workflow deletes what has expired, in batches, and leaves what has not; under churn every
 * expiring collection stays at its live size.
 */
const stack = useStack({ workers: true, web: false });
afterAll(async () => {
  await stack.env.temporal.schedule
    .getHandle(EXPIRY_SWEEPER_SCHEDULE_ID)
    .delete()
    .catch(() => undefined);
});

const db = () => mongoose.connection.db!;
const collections = EXPIRING.map((e) => e.collection);
const MINUTE = 60_000;

/** Rows shaped as each collection holds them, with the expiry field `at`. */
let serial = 0;
function rows(collection: string, field: string, count: number, at: Date) {
  return Array.from({ length: count }, () => {
    const n = serial++;
    return collection === 'sessions'
      ? { _id: `sid-${n}`, [field]: at, session: { cookie: { expires: at }, passport: { user: `u${n}:0` } } }
      : {
          _id: new mongoose.Types.ObjectId(),
          k: `row-${n}`,
          key: `row-${n}`,
          requestId: `req-${n}`,
          handle: `held-${n}`,
          tenantId: 't',
          [field]: at,
        };
  });
}

const sizes = async () =>
  Object.fromEntries(await Promise.all(EXPIRING.map(async (e) => [e.collection, await db().collection(e.collection).countDocuments()])));
const sweep = () =>
  stack.env.temporal.workflow.execute('expirySweeper', {
    args: [collections],
    taskQueue: stack.env.config.TEMPORAL_TASK_QUEUE,
    workflowId: `expiry-${serial}`,
  }) as Promise<ExpirySweepResult>;

test('FerretDB has no TTL indexes: the database does not expire rows itself', async () => {
  expect(await ensureExpiryIndexes()).toBe(false);
});

test('the worker creates the expiry schedule once, with overlap SKIP, over every expiring collection', async () => {
  await ensureSchedules(stack.env.temporal, stack.env.config);
  await ensureSchedules(stack.env.temporal, stack.env.config); // a second worker starting: same schedule
  const schedule = await stack.env.temporal.schedule.getHandle(EXPIRY_SWEEPER_SCHEDULE_ID).describe();
  expect(schedule.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
  expect(schedule.action).toMatchObject({ workflowType: 'expirySweeper', args: [collections] });
  // The tests below sweep by hand and count what their sweep deleted: a scheduled sweep firing
  // at an interval boundary meanwhile took some of the rows (it failed a run that crossed one).
  await stack.env.temporal.schedule.getHandle(EXPIRY_SWEEPER_SCHEDULE_ID).pause('the tests below sweep by hand');
});

test('a sweep deletes expired rows in batches and keeps live ones; under churn the collections stay bounded', async () => {
  const live = 25;
  for (const e of EXPIRING)
    await db()
      .collection(e.collection)
      .insertMany(rows(e.collection, e.field, live, new Date(Date.now() + 60 * MINUTE)) as never);
  for (let round = 0; round < 3; round++) {
    // More than one delete batch (500) per collection in the first round.
    const expired = round === 0 ? 1_200 : 300;
    for (const e of EXPIRING)
      await db()
        .collection(e.collection)
        .insertMany(rows(e.collection, e.field, expired, new Date(Date.now() - MINUTE)) as never);
    const result = await sweep();
    expect(result.deleted).toBe(expired * EXPIRING.length);
    expect(result.swept.map((s) => s.collection)).toEqual(collections);
    expect(await sizes()).toEqual(Object.fromEntries(collections.map((c) => [c, live])));
  }
  // Nothing left to do: the next sweep deletes nothing.
  expect((await sweep()).deleted).toBe(0);
});

test('the sweep reports its progress where staff look: status search attribute, details, result', async () => {
  const handle = await stack.env.temporal.workflow.start('expirySweeper', {
    args: [collections],
    taskQueue: stack.env.config.TEMPORAL_TASK_QUEUE,
    workflowId: `expiry-visible-${serial}`,
  });
  const result = (await handle.result()) as ExpirySweepResult;
  const described = await handle.describe();
  expect(described.searchAttributes.EntradaStatus).toEqual(['swept']);
  expect(result.swept).toHaveLength(collections.length);
});
