import { expect, test } from 'vitest';
import { RequestIds, SAML_REQUEST_TTL_MS } from '../../lib/saml/request-ids';

const SECRET = 'a-session-secret-of-at-least-32-characters';
const TENANT = '0d6f5a3e-1b2c-4d5e-8f90-123456789abc';
const RUN = '65a1b2c3d4e5f60718293a4b';
const ids = new RequestIds(SECRET);
/** An NCName, as a SAML ID must be (no leading digit, no colon). */
const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

test('an ID we issued is ours for its tenant while fresh, and unique', () => {
  const now = Date.now();
  const id = ids.issue(TENANT, undefined, now);
  expect(id).toMatch(NCNAME);
  expect(ids.issue(TENANT, undefined, now)).not.toBe(id);
  expect(ids.verify(TENANT, id, now + 1000)).toEqual({ issuedAt: new Date(now) });
  expect(ids.verify(TENANT, id, now + SAML_REQUEST_TTL_MS)).toBeDefined();
});

test('a test sign-in’s ID names its run, under the MAC', () => {
  const id = ids.issue(TENANT, RUN);
  expect(id).toMatch(NCNAME);
  expect(ids.verify(TENANT, id)?.testRunId).toBe(RUN);
  // The same ID with another run in it (an admin's test reported on someone else's run) is not ours.
  expect(ids.verify(TENANT, id.replace(RUN, '65a1b2c3d4e5f60718293a4c'))).toBeUndefined();
  // Nor is the run taken out (a test sign-in passed off as a real one).
  expect(ids.verify(TENANT, id.replace(`test_${RUN}_`, ''))).toBeUndefined();
});

test('an ID is refused for another tenant, under another secret, changed, stale, from the future or malformed', () => {
  const now = Date.now();
  const id = ids.issue(TENANT, undefined, now);
  const [, issued, nonce, mac] = id.split('_') as [string, string, string, string];
  expect(ids.verify('11111111-2222-4333-8444-555555555555', id, now)).toBeUndefined();
  expect(new RequestIds(`${SECRET}-rotated`).verify(TENANT, id, now)).toBeUndefined();
  const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
  expect(ids.verify(TENANT, `_${issued}_${flip(nonce)}_${mac}`, now)).toBeUndefined();
  expect(ids.verify(TENANT, `_${issued}_${nonce}_${flip(mac)}`, now)).toBeUndefined();
  // A later issue time (to stretch its life) breaks the MAC.
  expect(ids.verify(TENANT, `_${(now + 60_000).toString(36)}_${nonce}_${mac}`, now)).toBeUndefined();
  expect(ids.verify(TENANT, id, now + SAML_REQUEST_TTL_MS + 1)).toBeUndefined();
  expect(ids.verify(TENANT, ids.issue(TENANT, undefined, now + 5 * 60_000), now)).toBeUndefined();
  for (const bad of [undefined, '', '_not-a-request-of-ours', `${id}x`, id.toUpperCase(), `_${issued}_${nonce}`])
    expect(ids.verify(TENANT, bad, now)).toBeUndefined();
});

test('node-saml’s store answers with the issue time of our IDs only, in any process sharing the secret', async () => {
  const { cacheProvider, generateUniqueId } = ids.cacheFor(TENANT);
  const id = generateUniqueId();
  expect(await cacheProvider.saveAsync(id, new Date().toISOString())).toBeTruthy();
  expect(new Date((await cacheProvider.getAsync(id))!).getTime()).toBeGreaterThan(Date.now() - 5000);
  expect(await cacheProvider.getAsync('_not-a-request-of-ours')).toBeNull();
  expect(await ids.cacheFor('11111111-2222-4333-8444-555555555555').cacheProvider.getAsync(id)).toBeNull();
  // Another web process (its own instance, nothing shared but SESSION_SECRET) knows the ID: nothing was stored.
  expect(await new RequestIds(SECRET).cacheFor(TENANT).cacheProvider.getAsync(id)).toBe(await cacheProvider.getAsync(id));
});
