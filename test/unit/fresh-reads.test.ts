import { expect, test } from 'vitest';
import { freshReads } from '../../lib/fresh-reads';

/** A store whose reads the test answers by hand: each read sees the value at the moment it is sent. */
function store(initial: number) {
  let value = initial;
  const inFlight: { seen: number; answer(): void }[] = [];
  let sent = 0;
  return {
    write: (v: number) => (value = v),
    read: () =>
      new Promise<number>((resolve) => {
        sent++;
        const seen = value;
        inFlight.push({ seen, answer: () => resolve(seen) });
      }),
    /** Answers the oldest read in flight and lets its callers (and any read queued after it) run. */
    answerOne: async () => {
      inFlight.shift()!.answer();
      await new Promise((r) => setTimeout(r, 0));
    },
    get sent() {
      return sent;
    },
  };
}

test('a caller that asks while a read is in flight gets the next read, never the one sent before it asked', async () => {
  const db = store(1);
  const reads = freshReads<number>();
  const first = reads('k', db.read);
  db.write(2); // committed after the first read was sent, before the others ask
  const second = reads('k', db.read);
  const third = reads('k', db.read);
  expect(db.sent).toBe(1);
  await db.answerOne();
  expect(await first).toBe(1);
  expect(db.sent).toBe(2); // one read for both callers that waited
  await db.answerOne();
  expect(await second).toBe(2);
  expect(await third).toBe(2);
});

test('callers one after another each read, and keys do not share', async () => {
  const db = store(1);
  const reads = freshReads<number>();
  const a = reads('a', db.read);
  const b = reads('b', db.read);
  expect(db.sent).toBe(2);
  await db.answerOne();
  await db.answerOne();
  expect([await a, await b]).toEqual([1, 1]);
  db.write(3);
  const again = reads('a', db.read);
  expect(db.sent).toBe(3);
  await db.answerOne();
  expect(await again).toBe(3);
});

test('a failed read fails its callers only; those queued behind it get a read of their own', async () => {
  const reads = freshReads<number>();
  let fail!: (err: Error) => void;
  const failing = reads('k', () => new Promise<number>((_, reject) => (fail = reject)));
  const queued = reads('k', async () => 7);
  fail(new Error('connection lost'));
  await expect(failing).rejects.toThrow('connection lost');
  expect(await queued).toBe(7);
});
