import { beforeAll, expect, test } from 'vitest';
import { AuditEventModel, SsoTestRunModel } from '../../lib/models';
import type { HttpClient } from '../support/http-client';
import { onboardToTesting } from '../onboarding/support';
import { createUser, signedIn } from '../support/people';
import { useStack } from '../support/stack';

/**
 * Starting test sign-ins is rate-limited per tenancy: past TEST_SIGN_IN_LIMIT in a window, the
 * admin gets a 429 Test page saying when to try again (and Retry-After), no run is stored and no
 * one is sent to the IdP; the refusal is audited once per window. Another tenancy is unaffected.
 */
const stack = useStack({
  entra: true,
  workers: true,
  staff: 'sam@entrada.test',
  config: { TEST_SIGN_IN_LIMIT: '2', TEST_SIGN_IN_WINDOW: '1h' },
});
let A = '';
let B = '';
let admin: HttpClient;

beforeAll(async () => {
  A = await onboardToTesting(stack, { name: 'Alpine Ski House', admin: 'it@alpine.example', domains: ['alpine.example'] });
  B = await onboardToTesting(stack, { name: 'Bellows College', admin: 'it@bellows.example', domains: ['bellows.example'] });
  await createUser({ email: 'ada@admins.test', tenantAdminOf: [A] });
  admin = await signedIn(stack.env.baseUrl, 'ada@admins.test');
}, 120_000);

const start = async (client: HttpClient, tid: string) => {
  await client.get(`/portal/${tid}/test`);
  return client.postForm(`/portal/${tid}/test/sign-in`, {}, { redirect: 'manual' });
};

test('past the limit a start is refused with a 429 page saying when to retry, audited once; another tenancy still starts', async () => {
  for (let i = 0; i < 2; i++) expect((await start(admin, A)).status, `start ${i + 1}`).toBe(302);

  const refused = await start(admin, A);
  expect(refused.status).toBe(429);
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(3600);
  const page = admin.lastHtml;
  const [event] = await AuditEventModel.find({ tenantId: A, action: 'portal.test-sign-in.rate-limited' }).lean();
  const retryAt = new Date(String(event.details?.retryAt));
  // The window is the hour (fixed windows from the epoch); the page names its end, as Retry-After does.
  expect(retryAt.getTime() % 3_600_000).toBe(0);
  expect(Math.abs(retryAfter - (retryAt.getTime() - Date.now()) / 1000)).toBeLessThan(5);
  expect(page).toContain('<div class="notice error" role="status">Your organisation has started 2 test sign-ins since ');
  expect(page).toContain(`the most allowed in 1 hour. You can start another at ${retryAt.toISOString().slice(11, 16)} UTC (in about `);
  // Still the Test page, under the portal's navigation, with the button for later.
  expect(page).toContain('<nav aria-label="Admin portal"');
  expect(page).toContain('data-action="test-sign-in"');

  expect((await start(admin, A)).status).toBe(429);
  expect(await SsoTestRunModel.countDocuments({ tenantId: A })).toBe(2);
  const limited = await AuditEventModel.find({ tenantId: A, action: 'portal.test-sign-in.rate-limited' }).lean();
  expect(limited.map((e) => [e.outcome, e.actor?.kind, e.actor?.email, e.details?.limit])).toEqual([
    ['denied', 'user', 'ada@admins.test', 2],
  ]);

  // The budget is the tenancy's: staff testing tenancy B are not refused.
  expect((await start(stack.staff, B)).status).toBe(302);
});
