import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, submitSignIn } from '../support/browser';
import { Inbox } from '../../scripts/lib/inbox';
import { createUser } from '../support/people';
import { useStack } from '../support/stack';

/**
 * In Chromium: a staff member signs in, starts an onboarding in the console; the customer's
 * admin opens the consent link from the email, accepts in the Entra emulator and lands on our
 * thank-you page; the staff member watches the stage advance, ticks the tests and goes live.
 */

const stack = useStack({ entra: true, workers: true });
let browser: Browser;

beforeAll(async () => {
  await createUser({ email: 'sam@entrada.test', isStaff: true, displayName: 'Sam Staff', password: 'staff-password-long-42' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function newPage(): Promise<Page> {
  return (await browser.newContext({ baseURL: stack.env.baseUrl })).newPage();
}

/** Text of the first match, once it is on the page (after a form post, on the next page). */
async function text(page: Page, selector: string): Promise<string> {
  const element = page.locator(selector).first();
  await element.waitFor();
  return (await element.textContent()) ?? '';
}
async function attribute(page: Page, selector: string, name: string): Promise<string> {
  const element = page.locator(selector).first();
  await element.waitFor({ state: 'attached' });
  return (await element.getAttribute(name)) ?? '';
}

/** The console page does not poll: reload like a person would until the stage shows. */
async function waitForStage(page: Page, stage: string) {
  const shown = async () => {
    const now = await page.locator('#stage .pill').getAttribute('data-stage');
    if (now !== stage) await page.goto(page.url().split('?')[0]); // drop ?done=…: its notice would confuse later reads
    return now;
  };
  await expect.poll(shown, { timeout: 30_000, interval: 250, message: `the console's stage` }).toBe(stage);
}

test(
  'staff start an onboarding, the admin consents in Entra from the emailed link, the console follows it to live',
  { timeout: 120_000 },
  async () => {
    const tenant = stack.entra.emulator.createTenant({ name: 'Adatum' });

    const staff = await newPage();
    await staff.goto('/staff/tenants');
    await staff.waitForURL('**/signin?next=%2Fstaff%2Ftenants');
    await submitSignIn(staff, 'sam@entrada.test', 'staff-password-long-42');
    await staff.waitForURL('**/staff/tenants');

    await staff.click('#new-onboarding');
    await staff.fill('#tenantId', 'common');
    await staff.fill('#orgName', 'Adatum Corporation');
    await staff.fill('#adminEmails', 'admin@adatum.example');
    await staff.click('#start-onboarding');
    expect(await text(staff, '.notice.error')).toMatch(/"common" is a sign-in alias, not a tenant/);

    await staff.fill('#tenantId', tenant.tenantId);
    await staff.fill('#proposedDomains', 'adatum.example');
    await staff.click('#start-onboarding');
    await staff.waitForURL(`**/staff/tenants/${tenant.tenantId}?done=start`);
    expect(await text(staff, '.notice.success')).toMatch(/Onboarding started/);
    await waitForStage(staff, 'awaiting-consent');
    expect(await text(staff, '#waiting-for')).toContain("the customer's administrator to grant admin consent");
    expect(await attribute(staff, '#sp-metadata', 'href')).toBe(`${stack.env.baseUrl}/saml/${tenant.tenantId}/metadata`);
    expect(await attribute(staff, '#temporal-link', 'href')).toMatch(
      new RegExp(`/namespaces/${stack.env.namespace}/workflows/onboard-${tenant.tenantId}/`),
    );

    // The customer's admin, in their own browser, follows the emailed link.
    const email = await stack.env.inbox.waitFor((m) => m.to.includes('admin@adatum.example'));
    const admin = await newPage();
    await admin.goto(Inbox.link(email, '/adminconsent'));
    await admin.click('#accept');
    await admin.waitForURL('**/onboarding/consent/callback?**');
    expect(await attribute(admin, '#consent-outcome', 'data-outcome')).toBe('granted');
    expect(await text(admin, 'h1')).toBe('Thank you: consent recorded');

    // Back in the console: configured from Entra's metadata, testing with the domain claimed.
    await waitForStage(staff, 'testing');
    expect(await text(staff, '#metadata')).toContain(tenant.signingCertificates()[0].thumbprint);
    expect(await text(staff, '#domains')).toContain('adatum.example');

    await staff.selectOption('#item', 'auto-provisioning');
    await staff.fill('#reason', 'Watched a new user sign in by SSO on a call');
    await staff.click('form[data-action="tick-test-item"] button');
    expect(await text(staff, '.notice.success')).toBe('Test item ticked.');
    expect(await attribute(staff, '#checklist tr[data-item="auto-provisioning"]', 'data-ticked')).toBe('true');

    await staff.click('form[data-action="go-live"] button');
    expect(await text(staff, '.notice.error')).toMatch(/go-live refused: no evidence yet for account-migration, account-recreation/);
    await staff.fill('#overrideReason', 'Pilot group only; migration tested next week');
    await staff.click('form[data-action="go-live"] button');
    expect(await text(staff, '.notice.success')).toBe('Go-live approved: the tenant is live.');
    await waitForStage(staff, 'live');

    await staff.goto('/staff/tenants');
    expect(await attribute(staff, `tr[data-tenant="${tenant.tenantId}"] .pill`, 'data-stage')).toBe('live');
  },
);
