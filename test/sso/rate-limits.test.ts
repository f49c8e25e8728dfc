/**
 * Rate limits of the SAML endpoints (sign-in start, ACS, progress polls), per client address
 * and tenancy and per tenancy, held in the database: past a limit the person gets a 429 page
 * with Retry-After, the refusal is audited once per window under the tenancy, and another
 * tenancy's users are never refused. Small limits here; addresses come from X-Forwarded-For
 * (TRUST_PROXY, as behind a load balancer).
 */
import { beforeAll, expect, test } from 'vitest';
import { AuditEventModel } from '../../lib/models';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const PER_IP = 4;
const PER_TENANT = 7;
const stack = useStack({
  entra: true,
  config: { TRUST_PROXY: 'true', SAML_RATE_LIMIT_PER_IP: String(PER_IP), SAML_RATE_LIMIT_PER_TENANT: String(PER_TENANT) },
});
let a: SsoTenant;
let b: SsoTenant;

beforeAll(async () => {
  a = await connectTenant(stack, { name: 'Adatum', domains: ['adatum.example'] });
  b = await connectTenant(stack, { name: 'Bellows', domains: ['bellows.example'] });
  a.emulated.addUser({ email: 'ana@adatum.example' });
});

/** Windows are whole minutes: start a scenario with at least 25 s of its window left. */
async function freshWindow(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 25_000) await new Promise((r) => setTimeout(r, left + 100));
}

const from = (ip: string, path: string, init: RequestInit = {}) =>
  fetch(`${stack.env.baseUrl}${path}`, { redirect: 'manual', ...init, headers: { 'x-forwarded-for': ip, ...init.headers } });
const login = (ip: string, t: SsoTenant) => from(ip, `/saml/${t.tenantId}/login`);
const limited = (filter: Record<string, unknown> = {}) => AuditEventModel.find({ action: 'saml.rate-limited', ...filter }).lean();

test('sign-in starts: one address is refused past its limit at that tenancy only, with a 429 page, audited once', async () => {
  await freshWindow();
  for (let i = 0; i < PER_IP; i++) expect((await login('203.0.113.1', a)).status).toBe(302);
  const refused = await login('203.0.113.1', a);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await refused.text()).toContain('Too many sign-in attempts for this organisation just now. Wait a minute, then try again.');
  expect((await login('203.0.113.1', a)).status).toBe(429);

  // The same address at another tenancy, and another address at this one, are not refused.
  expect((await login('203.0.113.1', b)).status).toBe(302);
  expect((await login('203.0.113.2', a)).status).toBe(302);

  const events = await limited({ 'details.limiter': 'saml-login-ip' });
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    outcome: 'denied',
    tenantId: a.tenantId,
    target: { type: 'tenant', id: a.tenantId },
    ip: '203.0.113.1',
    details: { limit: PER_IP, windowMs: 60_000 },
  });
});

test('a flood from many addresses at one tenancy meets its tenancy limit; another tenancy keeps signing in', async () => {
  await freshWindow();
  const flood = await Promise.all(Array.from({ length: PER_TENANT + 3 }, (_, i) => login(`198.51.100.${i + 1}`, b)));
  const statuses = flood.map((r) => r.status).sort();
  expect(statuses.filter((s) => s === 302).length).toBeLessThanOrEqual(PER_TENANT);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
  expect(statuses.every((s) => s === 302 || s === 429)).toBe(true);
  expect((await login('198.51.100.250', b)).status).toBe(429);

  // Adatum's users, from the very addresses of the flood, still sign in.
  const browser = new SsoBrowser(stack.env, a);
  const { requestId } = await browser.startLogin(); // from this test process's own address
  const res = await from('198.51.100.1', `/saml/${a.tenantId}/acs`, {
    method: 'POST',
    body: new URLSearchParams({
      SAMLResponse: browser.issue('ana@adatum.example', { inResponseTo: requestId }).samlResponse,
      RelayState: '/',
    }),
  });
  expect(res.status).toBe(303);
  expect(await limited({ 'details.limiter': 'saml-login-tenant', tenantId: b.tenantId })).toHaveLength(1);
  expect(await limited({ tenantId: a.tenantId, 'details.limiter': { $ne: 'saml-login-ip' } })).toEqual([]);
});

test('ACS posts and progress polls have limits of their own, checked before any SAML work', async () => {
  await freshWindow();
  const post = () =>
    from('192.0.2.7', `/saml/${a.tenantId}/acs`, { method: 'POST', body: new URLSearchParams({ SAMLResponse: 'not a response' }) });
  for (let i = 0; i < PER_IP; i++) expect((await post()).status).toBe(400); // refused as SAML, and counted
  const rejectionsBefore = await AuditEventModel.countDocuments({ action: 'saml.rejected' });
  const refused = await post();
  expect(refused.status).toBe(429);
  expect(await refused.text()).toContain('Too many sign-in responses for this organisation just now.');
  expect(await AuditEventModel.countDocuments({ action: 'saml.rejected' })).toBe(rejectionsBefore);

  const poll = () => from('192.0.2.8', '/saml/migration/0123456789abcdef01234567/status', { headers: { accept: 'application/json' } });
  for (let i = 0; i < PER_IP; i++) expect((await poll()).status).toBe(404); // no sign-in waits in this session
  const polled = await poll();
  expect(polled.status).toBe(429);
  expect(await polled.json()).toMatchObject({
    error: {
      code: 'too_many_requests',
      message: 'Too many progress checks for this organisation just now. Wait a minute, then try again.',
    },
  });
  expect(await limited({ 'details.limiter': 'saml-acs-ip', tenantId: a.tenantId })).toHaveLength(1);
  expect(await limited({ 'details.limiter': 'saml-status-ip' })).toHaveLength(1);
});
