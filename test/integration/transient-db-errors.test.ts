/**
 * Transient database failures (a broken connection, an unreadable reply, no primary): a read
 * is retried a bounded number of times, so one hiccup costs nobody a sign-in; when the
 * database keeps failing, or a write fails, people get a 503 "try again" page (JSON under
 * /api/), never a 500. The failures are injected into the driver's collection methods.
 */
import { afterEach, beforeAll, expect, test } from 'vitest';
import mongoose, { type Model } from 'mongoose';
import { TenantModel, UserModel } from '../../lib/models';
import { HttpClient } from '../support/http-client';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const { MongoNetworkTimeoutError, MongoUnexpectedServerResponseError, MongoServerSelectionError } = mongoose.mongo;
const stack = useStack({ entra: true });
const transient = [
  () => new MongoUnexpectedServerResponseError('BSON element "cursor" is missing'),
  () => new MongoNetworkTimeoutError('connection 4 to 127.0.0.1:27044 timed out'),
  () => new MongoServerSelectionError('Server selection timed out after 10000 ms', { type: 'Unknown', servers: new Map() } as never),
];

let tenant: SsoTenant;
const restores: (() => void)[] = [];

beforeAll(async () => {
  tenant = await connectTenant(stack, { domains: ['contoso.example'] });
  tenant.emulated.addUser({ email: 'ana@contoso.example' });
});
afterEach(() => restores.splice(0).forEach((restore) => restore()));

/** The next `times` calls of the driver's `method` on the model's collection fail with transient errors. */
function failNext(
  model: Pick<Model<never>, 'collection'>,
  method: 'findOne' | 'insertOne',
  times: number,
  errors = transient,
): { calls: number } {
  const driver = (model.collection as unknown as { collection: Record<string, (...args: unknown[]) => Promise<unknown>> }).collection;
  const original = driver[method];
  const seen = { calls: 0 };
  driver[method] = function (this: unknown, ...args: unknown[]) {
    seen.calls++;
    return seen.calls <= times ? Promise.reject(errors[(seen.calls - 1) % errors.length]()) : original.apply(this, args);
  };
  restores.push(() => delete driver[method]);
  return seen;
}

test('a read that fails twice is retried: the signed-in user, the SSO login redirect and the ACS all succeed', async () => {
  const browser = new SsoBrowser(stack.env, tenant);
  expect((await browser.signIn('ana@contoso.example')).status).toBe(303);

  const users = failNext(UserModel, 'findOne', 2);
  expect(await browser.whoAmI()).toBe('ana@contoso.example'); // the session's user is loaded by ID
  expect(users.calls).toBe(3);

  const tenants = failNext(TenantModel, 'findOne', 2);
  const login = await browser.http.get(`/saml/${tenant.tenantId}/login`, { redirect: 'manual' });
  expect(login.status).toBe(302);
  expect(tenants.calls).toBe(3);

  failNext(TenantModel, 'findOne', 2);
  const again = new SsoBrowser(stack.env, tenant);
  expect((await again.signIn('ana@contoso.example')).status).toBe(303);
  expect(await again.whoAmI()).toBe('ana@contoso.example');
});

test('a database that keeps failing gets a 503 "try again" after 3 attempts; a failed write is not retried and is a 503 too', async () => {
  const browser = new SsoBrowser(stack.env, tenant);
  expect((await browser.signIn('ana@contoso.example')).status).toBe(303);

  const users = failNext(UserModel, 'findOne', 100);
  const api = await browser.http.api('GET', '/api/auth/me');
  expect(api).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
  expect(users.calls).toBe(3);
  const page = await browser.http.get('/');
  expect(page.status).toBe(503);
  expect(page.headers.get('retry-after')).toBe('5');
  expect(browser.http.lastHtml).toMatch(/not answering\. Try again in a moment/);
  restores.splice(0).forEach((restore) => restore());

  const inserts = failNext(UserModel, 'insertOne', 1);
  const client = new HttpClient(stack.env.baseUrl);
  client.csrf = (await client.api('GET', '/api/auth/me')).body.csrfToken;
  const registered = await client.api('POST', '/api/auth/register', {
    email: 'new@elsewhere.example',
    password: 'plenty-long-secret-42',
    displayName: 'New',
  });
  expect(registered).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
  expect(inserts.calls).toBe(1);
  expect(await UserModel.exists({ email: 'new@elsewhere.example' })).toBeNull();
});

test('no database found for a whole selection window: a 503 at once, the read is not tried again (it already waited)', async () => {
  const browser = new SsoBrowser(stack.env, tenant);
  expect((await browser.signIn('ana@contoso.example')).status).toBe(303);
  const users = failNext(UserModel, 'findOne', 100, [transient[2]]);
  expect(await browser.http.api('GET', '/api/auth/me')).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
  expect(users.calls).toBe(1);
});
