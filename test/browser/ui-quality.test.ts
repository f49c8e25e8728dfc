import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { audit } from '../../lib/audit';
import { SsoTestRunModel, UserModel } from '../../lib/models';
import { accessibilityViolations } from '../support/axe';
import { launchChromium, submitSignIn } from '../support/browser';
import { onboardToTesting } from '../onboarding/support';
import { useStack } from '../support/stack';

/**
 * The whole web app in Chromium at a desktop width: the house styles apply, wide data
 * wraps instead of overflowing, timestamps are in the viewer's zone, every page passes
 * axe-core, and the forms work from the keyboard alone.
 */

const STAFF = 'sam@entrada.test';
const stack = useStack({ entra: true, workers: true, staff: STAFF });
let browser: Browser;
let staff: BrowserContext;
let tenantId: string;
let staffId: string;

beforeAll(async () => {
  tenantId = await onboardToTesting(stack, { name: 'Fabrikam', admin: 'it@fabrikam.example', domains: ['fabrikam.example'] });
  // A pending domain proof, so the tenant page shows its card with the row's actions.
  expect((await stack.staff.api('POST', `/api/staff/tenants/${tenantId}/domain-proofs`, { domain: 'fabrikam.example' })).status).toBe(201);
  staffId = String((await UserModel.findOne({ email: STAFF }).lean())!._id);
  // An event long in every column: its details (nested) pushed /staff/audit to ~1,700 px, and
  // unbreakable values (GUID, IDs, an IPv6 address, a long email) to ~1,290 px.
  await audit({
    action: 'test.wide-details',
    outcome: 'failure',
    actor: { kind: 'user', email: 'a-rather-long-mailbox-name-for-wrapping@accounts.subsidiary.fabrikam.example' },
    ip: '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
    tenantId,
    target: { type: 'user', id: staffId },
    details: { reason: 'x'.repeat(400), claims: { groups: Array.from({ length: 30 }, (_, i) => `group-${i}-${'g'.repeat(20)}`) } },
  });
  // Test sign-ins, so that the portal's Test page shows its result card and the list.
  const startedBy = { userId: staffId, email: STAFF };
  await SsoTestRunModel.create({
    tenantId,
    startedBy,
    result: { outcome: 'success', at: new Date(), email: 'tess@fabrikam.example', groups: ['g1'] },
  });
  await SsoTestRunModel.create({
    tenantId,
    startedBy,
    result: {
      outcome: 'refused',
      at: new Date(),
      reason: 'audience-mismatch',
      message: 'Assertion audience does not match',
      reference: 'r'.repeat(24),
    },
  });
  browser = await launchChromium();
  staff = await browser.newContext({ baseURL: stack.env.baseUrl, viewport: { width: 1280, height: 800 }, timezoneId: 'America/New_York' });
  const page = await staff.newPage();
  await page.goto('/signin');
  await submitSignIn(page, STAFF);
  await page.waitForURL((url) => url.pathname !== '/signin');
  await page.close();
}, 90_000);
afterAll(async () => {
  await browser?.close();
});

async function open(context: BrowserContext, path: string): Promise<Page> {
  const page = await context.newPage();
  const res = await page.goto(path);
  expect(res?.status(), path).toBeLessThan(400);
  return page;
}

test('the house font applies (the layout CSS is not HTML-escaped)', async () => {
  const page = await open(staff, '/staff');
  const font = await page.evaluate<string>('getComputedStyle(document.body).fontFamily');
  // Escaped, the whole rule was dropped and Chromium fell back to its serif default.
  expect(font).toBe('system-ui, -apple-system, "Segoe UI", sans-serif');
});

test('/staff/audit shows long details without horizontal overflow at 1,280 px', async () => {
  const page = await open(staff, '/staff/audit');
  await page.locator('td', { hasText: 'test.wide-details' }).waitFor();
  const width = await page.evaluate<number>('document.documentElement.scrollWidth');
  expect(width).toBeLessThanOrEqual(1280);
  expect(await page.locator('dl.details dt', { hasText: 'reason' }).count()).toBeGreaterThan(0);
});

test("timestamps show in the viewer's time zone, with UTC on hover", async () => {
  const page = await open(staff, '/staff/audit');
  const time = page.locator('time[datetime]').first();
  const [datetime, text, title] = await Promise.all([time.getAttribute('datetime'), time.textContent(), time.getAttribute('title')]);
  // New York in November is UTC-5.
  const local = new Date(Date.parse(datetime!) - 5 * 3600_000).toISOString().replace('T', ' ').slice(0, 16);
  expect(text).toBe(`${local} GMT-5`);
  expect(title).toBe(`${datetime!.replace('T', ' ').slice(0, 19)} UTC`);
});

test('the tenant page shows the domain proof, its TXT record and its last DNS check', async () => {
  const page = await open(staff, `/staff/tenants/${tenantId}`);
  const row = page.locator('#domain-proofs tr[data-domain="fabrikam.example"]');
  expect(await row.getAttribute('data-status')).toBe('pending');
  expect(await row.locator('code').textContent()).toMatch(/^entrada-verification=[\w-]{24}$/);
  await expect.poll(async () => (await page.reload(), await row.locator('[data-outcome]').getAttribute('data-outcome'))).toBe('nxdomain');
});

test('the tenants list shows consent after it is granted, and checklist progress', async () => {
  const page = await open(staff, '/staff/tenants');
  const row = page.locator(`tr[data-tenant="${tenantId}"]`);
  expect(await row.locator('.consent').getAttribute('data-consent')).toBe('granted');
  expect(await row.locator('.consent time').count()).toBe(1);
  expect(await row.locator('.checklist').textContent()).toMatch(/^0 of 3 required/);
});

describe('every page passes axe-core (WCAG 2 A/AA)', () => {
  const staffPages = () => [
    '/staff',
    '/staff/users',
    `/staff/users/${staffId}`,
    `/staff/users/${staffId}/delete`,
    '/staff/audit',
    '/staff/tenants',
    '/staff/tenants/new',
    `/staff/tenants/${tenantId}`,
    `/staff/tenants/${tenantId}/report`,
    // The tenancy admin portal, as staff see it (the same pages its admins get).
    `/portal/${tenantId}/connect`,
    `/portal/${tenantId}/test`,
    '/staff/provisioning',
    '/staff/audit-streams',
    '/staff/audit-streams/configure',
    '/account/delete',
    '/files',
    '/hubs',
    '/contacts',
    '/meetings',
    '/invites',
  ];
  test('staff console and account pages', { timeout: 120_000 }, async () => {
    const found: Record<string, string[]> = {};
    for (const path of staffPages()) {
      const page = await open(staff, path);
      const violations = await accessibilityViolations(page);
      if (violations.length) found[path] = violations;
      await page.close();
    }
    expect(found).toEqual({});
  });
  test('admin portal pages', { timeout: 120_000 }, async () => {
    const member = await UserModel.create({ email: 'ada@fabrikam.example', kind: 'sso', tenantId });
    const found: Record<string, string[]> = {};
    for (const section of ['', '/domains', '/access', '/users', `/users/${String(member._id)}/delete`, '/logging']) {
      const path = `/portal/${tenantId}${section}`;
      const page = await open(staff, path);
      const violations = await accessibilityViolations(page);
      if (violations.length) found[path] = violations;
      await page.close();
    }
    expect(found).toEqual({});
  });
  test('sign-in and registration pages', { timeout: 60_000 }, async () => {
    const anonymous = await browser.newContext({ baseURL: stack.env.baseUrl });
    const found: Record<string, string[]> = {};
    for (const path of ['/', '/signin', '/register', '/password/forgot']) {
      const page = await open(anonymous, path);
      const violations = await accessibilityViolations(page);
      if (violations.length) found[path] = violations;
    }
    await anonymous.close();
    expect(found).toEqual({});
  });
});

test('signing in and starting an onboarding work from the keyboard alone', { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ baseURL: stack.env.baseUrl });
  const page = await open(context, '/signin?next=%2Fstaff%2Ftenants%2Fnew');
  // The email field has focus on arrival; Tab reaches the password, Enter submits.
  await page.keyboard.type(STAFF);
  await page.keyboard.press('Tab');
  await page.keyboard.type('plenty-long-secret-42');
  await page.keyboard.press('Enter');
  await page.waitForURL('**/staff/tenants/new');

  const focused = () => page.evaluate<string>('document.activeElement?.id || document.activeElement?.textContent');
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('Skip to content');
  await page.keyboard.press('Enter');
  // Past the skip link, the header's links are skipped: a few Tabs reach the first field, the
  // identity-provider selector (Entra by default), then the Entra tenant ID.
  for (let i = 0; i < 3 && (await focused()) !== 'kind'; i++) await page.keyboard.press('Tab');
  expect(await focused()).toBe('kind');
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('tenantId');
  const fresh = stack.entra.emulator.createTenant({ name: 'Keyboard Co' }).tenantId;
  for (const value of [fresh, 'Keyboard Co', 'it@keyboard.example']) {
    await page.keyboard.type(value);
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await page.waitForURL(`**/staff/tenants/${fresh}?done=start`);
  await context.close();
});
