import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import mongoose from 'mongoose';
import { randomBytes } from 'node:crypto';
import { connectDb } from '../../lib/db';
import { SessionModel, StaffTokenModel, UserModel } from '../../lib/models';
import { EntradaSessionStore } from '../../web/http/session-store';
import { createTestEnv } from '../support/env';
import { watchUnacknowledgedWrites } from '../support/unacknowledged-writes';
import { TEST_MONGO_BASE } from '../../scripts/lib/test-services';

/**
 * FerretDB v1 answers a `w: 0` write although the driver reads no reply; on a pooled connection
 * every later command then gets the previous command's reply. These tests poison one connection
 * on purpose and check that no look-up ever hands back someone else's document.
 */
describe('a crossed reply on a poisoned connection', () => {
  const url = `${TEST_MONGO_BASE}/crossed${randomBytes(4).toString('hex')}`;
  let alice: string, bob: string, carol: string;

  beforeAll(async () => {
    await connectDb(url);
    [alice, bob, carol] = (
      await UserModel.create(['alice', 'bob', 'carol'].map((n) => ({ email: `${n}@example.com`, displayName: n })))
    ).map((u) => String(u._id));
    await mongoose.disconnect();
  });
  // One pooled connection, so the poisoned one serves every look-up; it stays crossed until
  // it closes, so each test gets a fresh one.
  beforeEach(() => connectDb(url, { maxPoolSize: 1 }));
  afterEach(() => mongoose.disconnect());

  afterAll(async () => {
    const clean = await mongoose.createConnection(url).asPromise();
    await clean.dropDatabase();
    await clean.close();
  });

  async function poison() {
    await mongoose.connection.db!.collection('users').deleteMany({ _id: 'nothing' as never }, { writeConcern: { w: 0 } });
    // Let the stray reply arrive, so the very next look-up reads it (otherwise timing decides).
    await new Promise((r) => setTimeout(r, 50));
  }

  /** Runs look-ups in order on the poisoned connection; returns what each one resolved to. */
  async function lookUpAll<T>(ids: string[], load: (id: string) => Promise<T>): Promise<Array<T | Error>> {
    const results: Array<T | Error> = [];
    for (const id of ids) results.push(await load(id).catch((err: Error) => err));
    return results;
  }

  test('loading a user by ID refuses the document of the user asked for before', async () => {
    await poison();
    const ids = [alice, bob, carol];
    const results = await lookUpAll(ids, (id) => UserModel.findById(id).lean());
    // Without the check, the second look-up resolves to Alice's document. With it, a crossed
    // reply fails (or, with transient read retries, is read again) but never loads another user.
    results.forEach((r, i) => r instanceof Error || expect(String(r?._id)).toBe(ids[i]));
  });

  test('a staff token look-up never answers with another token', async () => {
    const owner = new mongoose.Types.ObjectId();
    await StaffTokenModel.create([
      { tokenHash: 'hash-one', userId: owner },
      { tokenHash: 'hash-two', userId: owner },
    ]);
    await poison();
    const results = await lookUpAll(['hash-one', 'hash-two'], (tokenHash) =>
      StaffTokenModel.findOneAndUpdate({ tokenHash, revokedAt: null }, { $set: { lastUsedAt: new Date() } }).lean(),
    );
    // The first may read the delete's reply as "no such token" (refused, which is safe); no
    // look-up may resolve to the other token's document.
    results.forEach((r, i) => r instanceof Error || r === null || expect(r.tokenHash).toBe(['hash-one', 'hash-two'][i]));
  });

  test('a session is only ever loaded for its own ID', async () => {
    const store = new EntradaSessionStore();
    const expires = new Date(Date.now() + 3600_000);
    await SessionModel.create([
      { _id: 'sid-alice', session: { cookie: { expires }, passport: { user: `${alice}:0` } }, expires },
      { _id: 'sid-bob', session: { cookie: { expires }, passport: { user: `${bob}:0` } }, expires },
    ]);
    await poison();
    const load = (sid: string) => new Promise((resolve, reject) => store.get(sid, (err, data) => (err ? reject(err) : resolve(data))));
    const [first, second] = await lookUpAll(['sid-alice', 'sid-bob'], load);
    for (const [i, r] of [first, second].entries()) {
      if (!(r instanceof Error) && r) expect((r as { passport: { user: string } }).passport.user).toBe(`${[alice, bob][i]}:0`);
    }
  });
});

test('the web app sends no unacknowledged write, even after hours of uptime', async () => {
  // connect-mongo's 'interval' cleanup used to send a w:0 deleteMany every 10 minutes.
  vi.useFakeTimers({ toFake: ['setInterval'] });
  const env = await createTestEnv();
  try {
    const sent = watchUnacknowledgedWrites(mongoose.connection.getClient());
    const base = await env.startWeb();
    expect((await fetch(`${base}/signin`)).status).toBe(200);
    await vi.advanceTimersByTimeAsync(3 * 60 * 60 * 1000);
    await new Promise((r) => setTimeout(r, 200));
    expect(sent()).toEqual([]);
  } finally {
    vi.useRealTimers();
    await env.teardown();
  }
});
