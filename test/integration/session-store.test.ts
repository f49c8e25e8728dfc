import { expect, test } from 'vitest';
import type session from 'express-session';
import { SessionModel } from '../../lib/models';
import { EntradaSessionStore } from '../../web/http/session-store';
import { useStack } from '../support/stack';

// Its own database and namespace, nothing else: these tests work below the web tier.
useStack({ web: false });

const store = new EntradaSessionStore();
const call = <T>(fn: (done: (err?: unknown, value?: T) => void) => void) =>
  new Promise<T | undefined>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
const data = (expires: Date, user = 'u1:0') =>
  ({ cookie: { expires, originalMaxAge: 8 * 3600_000 }, passport: { user } }) as unknown as session.SessionData;

test('a saved session loads back for its ID, and an expired one does not load at all', async () => {
  const later = new Date(Date.now() + 3600_000);
  await call((done) => store.set('live', data(later), done));
  await call((done) => store.set('stale', data(new Date(Date.now() - 1000)), done));
  const live = await call<session.SessionData | null>((done) => store.get('live', done));
  expect((live as unknown as { passport: { user: string } }).passport.user).toBe('u1:0');
  expect(await call((done) => store.get('stale', done))).toBeNull();
  expect(await call((done) => store.get('unknown', done))).toBeNull();
});

test('the sliding expiry is written back only when it moved by minutes, not on every request', async () => {
  const first = new Date(Date.now() + 3600_000);
  await call((done) => store.set('slide', data(first), done));
  // What express-session does: load, reset the cookie's expiry, touch with the loaded session.
  const loadThenTouch = async (expires: Date) => {
    const loaded = (await call<session.SessionData | null>((done) => store.get('slide', done)))!;
    await call((done) => store.touch('slide', { ...loaded, cookie: { ...loaded.cookie, expires } } as session.SessionData, done));
  };
  await loadThenTouch(new Date(first.getTime() + 60_000));
  expect((await SessionModel.findById('slide').lean())!.expires).toEqual(first);

  const moved = new Date(first.getTime() + 10 * 60_000);
  await loadThenTouch(moved);
  expect((await SessionModel.findById('slide').lean())!.expires).toEqual(moved);
  // The request's copy of the loaded expiry is never stored with the session.
  expect(Object.keys((await SessionModel.findById('slide').lean())!.session as object)).not.toContain('_loadedExpires');
});

test('concurrent requests of one session do not put back data another request just saved', async () => {
  const expires = new Date(Date.now() + 3600_000);
  await call((done) => store.set('busy', data(expires), done));
  for (let round = 0; round < 10; round++) {
    const [a, b] = await Promise.all([
      call<session.SessionData | null>((d) => store.get('busy', d)),
      call<session.SessionData | null>((d) => store.get('busy', d)),
    ]);
    // Request A creates a CSRF token and saves; request B, loaded before, only touches.
    await Promise.all([
      call((done) => store.set('busy', { ...a!, csrfToken: `token-${round}` } as session.SessionData, done)),
      call((done) => store.touch('busy', b!, done)),
    ]);
    const stored = (await SessionModel.findById('busy').lean())!.session as { csrfToken?: string };
    expect(stored.csrfToken).toBe(`token-${round}`);
  }
});

test('destroying a session removes it', async () => {
  await call((done) => store.set('bye', data(new Date(Date.now() + 3600_000)), done));
  await call((done) => store.destroy('bye', done));
  expect(await SessionModel.countDocuments({ _id: 'bye' })).toBe(0);
});
