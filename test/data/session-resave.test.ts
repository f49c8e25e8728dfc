import { afterAll, beforeAll, expect, test } from 'vitest';
import type session from 'express-session';
import { SessionModel } from '../../lib/models';
import { EntradaSessionStore } from '../../web/http/session-store';
import { createTestEnv, type TestEnv } from '../support/env';

/**
 * After a sign-in, express-session saves again at the end of the response what passport
 * already saved, while the browser is already on its next request (the redirect). Seen on
 * FerretDB-on-PostgreSQL: that stale copy landed after the next request's save and erased its
 * new CSRF token, so the following form post was refused. A request's unchanged re-save must
 * not overwrite anything.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(() => env.teardown());

const store = new EntradaSessionStore();
const set = (sid: string, data: object) =>
  new Promise<void>((resolve, reject) => store.set(sid, data as session.SessionData, (err) => (err ? reject(err) : resolve())));
const stored = async (sid: string) => (await SessionModel.findById(sid).lean())!.session as Record<string, unknown>;
const cookie = () => ({ expires: new Date(Date.now() + 8 * 3600_000), originalMaxAge: 8 * 3600_000 });

test("a request's unchanged re-save does not overwrite the next request's write", async () => {
  const signIn = { cookie: cookie(), passport: { user: 'u1:0' } };
  await set('s1', signIn); // passport's explicit save
  const next = { cookie: cookie(), passport: { user: 'u1:0' }, csrfToken: 'token-of-the-next-page' };
  await set('s1', next); // the next request, already following the redirect
  signIn.cookie = cookie(); // express-session touches the cookie before its end-of-response save
  await set('s1', signIn);
  expect(await stored('s1')).toMatchObject({ csrfToken: 'token-of-the-next-page' });
});

test('a request that changed its session since its last save writes it', async () => {
  const request: Record<string, unknown> = { cookie: cookie(), passport: { user: 'u2:0' } };
  await set('s2', request);
  request.flash = 'saved';
  await set('s2', request);
  expect(await stored('s2')).toMatchObject({ flash: 'saved' });
});
