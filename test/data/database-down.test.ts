/**
 * The database really goes away (its FerretDB process SIGKILLed) and comes back. A sign-in in
 * flight when it dies, and every sign-in while it is away, gets a 503 "try again" with
 * Retry-After: never a 500, never a wrong page, never a half-made session. Once it is back,
 * people sign in again without the app being restarted. A purge it interrupts resumes and ends
 * with every file gone exactly once and no orphan chunk.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import mongoose from 'mongoose';
import { requestUserDeletion } from '../../lib/deletion/requests';
import { deletionProgressQuery } from '../../lib/contracts/deletion';
import { FileModel, SessionModel } from '../../lib/models';
import { blobCounts, seedFiles } from '../../scripts/lib/seed-files';
import { createTestEnv, type TestEnv } from '../support/env';
import { startEntra, type Entra } from '../support/entra';
import { HttpClient } from '../support/http-client';
import { createUser, PASSWORD } from '../support/people';
import { PrivateFerretdb } from '../support/private-ferretdb';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';

let db: PrivateFerretdb;
let entra: Entra;
let env: TestEnv;
let tenant: SsoTenant;

beforeAll(async () => {
  db = await PrivateFerretdb.start();
  entra = await startEntra();
  env = await createTestEnv({ MONGO_URL: `${db.url}/down${Date.now().toString(36)}`, ENTRA_LOGIN_BASE_URL: entra.url });
  await env.startWorkers();
  await env.startWeb();
  tenant = await connectTenant({ env, entra }, { domains: ['contoso.example'] });
  tenant.emulated.addUser({ email: 'ana@contoso.example' });
  await createUser({ email: 'paul@example.test' });
});
afterAll(async () => {
  if (db && !db.running) await db.restart();
  await env?.teardown();
  await entra?.close();
  await db?.kill();
});

/** Kills the database as the app sends its first command to `collection` (mid-request). */
function killOnFirst(collection: string): { killed: Promise<void> } {
  const client = mongoose.connection.getClient();
  let resolve!: () => void;
  const killed = new Promise<void>((r) => (resolve = r));
  const listener = (e: { command: Record<string, unknown>; commandName: string }) => {
    if (e.command[e.commandName] !== collection) return;
    client.off('commandStarted', listener);
    void db.kill().then(resolve);
  };
  client.on('commandStarted', listener);
  return { killed };
}

const passwordSignIn = async () => {
  const client = new HttpClient(env.baseUrl);
  await client.get('/signin');
  const res = await client.postForm('/signin', { email: 'paul@example.test', password: PASSWORD }, { redirect: 'manual' });
  return { res, client };
};

test('killed in the middle of a password sign-in and of an SSO sign-in: 503 "try again", no session; back up, both sign in', async () => {
  const sessionsBefore = await SessionModel.countDocuments();

  const midPassword = killOnFirst('users');
  let started = Date.now();
  const { res: refused } = await passwordSignIn();
  await midPassword.killed;
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBeTruthy();
  console.log(`password sign-in: 503 after ${Date.now() - started} ms with the database gone`);

  started = Date.now();
  const start = await new SsoBrowser(env, tenant).http.get(`/saml/${tenant.tenantId}/login`, { redirect: 'manual' });
  expect(start.status).toBe(503); // the request ID it would send to Entra cannot be stored
  expect(start.headers.get('retry-after')).toBeTruthy();
  console.log(`SSO sign-in start: 503 after ${Date.now() - started} ms with the database gone`);

  await db.restart();
  await expect.poll(async () => (await passwordSignIn()).res.status, { timeout: 60_000, interval: 500 }).toBe(303);
  expect((await new SsoBrowser(env, tenant).signIn('ana@contoso.example')).status).toBe(303);
  // Only the two sign-ins that succeeded (and none half-made by the refused ones) left sessions.
  expect(await SessionModel.countDocuments()).toBe(sessionsBefore + 2);
});

test('killed during a purge and back 3 s later: the purge resumes, every file is gone exactly once, no orphan chunk', async () => {
  const FILES = 1_500;
  const user = await createUser({ email: 'many.files@example.test' });
  // A fifth inline (purged first, by slot), the rest in GridFS as stored before inline files:
  // the kill lands in the GridFS pass, where a batch spans three collections.
  const ids = [
    ...(await seedFiles(user._id, { count: FILES / 5, size: 512 })),
    ...(await seedFiles(user._id, { count: (FILES * 4) / 5, size: 512, layout: 'gridfs' })),
  ];
  const blobIds = (await FileModel.find({ _id: { $in: ids } }, { blobId: 1 }).lean()).map((f) => f.blobId);
  const { handle } = await requestUserDeletion(env.temporal, env.config.TEMPORAL_TASK_QUEUE, {
    userId: user.id,
    requestedBy: { kind: 'system', reason: 'database fault test' },
  });
  await expect
    .poll(async () => (await handle.query(deletionProgressQuery)).files.purged, { timeout: 60_000, interval: 20 })
    .toBeGreaterThanOrEqual(0.3 * FILES);
  await db.kill();
  await new Promise((r) => setTimeout(r, 3_000));
  await db.restart();

  const result = await handle.result();
  expect(result.counts).toMatchObject({ files: FILES, bytes: FILES * 512 });
  expect(await FileModel.countDocuments({ ownerId: user._id })).toBe(0);
  expect(await blobCounts(blobIds)).toEqual({ chunks: 0, files: 0, orphanChunks: 0 });
});
