import { expect, test } from 'vitest';
import { groupCommit } from '../../lib/group-commit';

/** A flush the test answers by hand, recording each batch it was given. */
function flushByHand() {
  const batches: number[][] = [];
  const open: { resolve(): void; reject(err: Error): void }[] = [];
  const flush = (items: number[]) => {
    batches.push(items);
    return new Promise<number[]>((resolve, reject) => open.push({ resolve: () => resolve(items.map((i) => i * 10)), reject }));
  };
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return {
    batches,
    flush,
    answer: async () => (open.shift()!.resolve(), tick()),
    fail: async (err: Error) => (open.shift()!.reject(err), tick()),
  };
}

test('a lone write goes at once; writes arriving while it is in flight go together as the next batch, each answered its own', async () => {
  const db = flushByHand();
  const write = groupCommit(db.flush, 10);
  const first = write('db', 1);
  expect(db.batches).toEqual([[1]]);
  const rest = [write('db', 2), write('db', 3), write('db', 4)];
  expect(db.batches).toEqual([[1]]); // queued behind the one in flight
  await db.answer();
  expect(db.batches).toEqual([[1], [2, 3, 4]]);
  await db.answer();
  expect(await first).toBe(10);
  expect(await Promise.all(rest)).toEqual([20, 30, 40]);
});

test('batches are bounded, and keys (databases) never share one', async () => {
  const db = flushByHand();
  const write = groupCommit(db.flush, 2);
  const all = [write('a', 1), write('a', 2), write('a', 3), write('a', 4), write('b', 5)];
  expect(db.batches).toEqual([[1], [5]]);
  await db.answer();
  expect(db.batches).toEqual([[1], [5], [2, 3]]);
  await db.answer(); // b's
  await db.answer();
  await db.answer();
  expect(db.batches).toEqual([[1], [5], [2, 3], [4]]);
  expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
});

test('a failed batch fails its own writes only, and the queue goes on', async () => {
  const db = flushByHand();
  const write = groupCommit(db.flush, 10);
  const failed = expect(write('db', 1)).rejects.toThrow('connection lost'); // handled before it fails
  const later = write('db', 2);
  await db.fail(new Error('connection lost'));
  await failed;
  await db.answer();
  expect(await later).toBe(20);
  const after = write('db', 3); // the queue emptied: a new write goes at once again
  expect(db.batches).toEqual([[1], [2], [3]]);
  await db.answer();
  expect(await after).toBe(30);
});
