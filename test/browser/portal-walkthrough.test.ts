import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { Inbox } from '../../scripts/lib/inbox';
import { launchChromium, submitSignIn } from '../support/browser';
import { createUser, PASSWORD } from '../support/people';
import { useStack } from '../support/stack';

/**
 * In Chromium, the customer's IT admin does their part alone: from the invitation email into
 * the portal with their standard account, admin consent in Entra, the SP values and the
 * imported certificate on Connect, a test sign-in on Test, a DNS-proven domain on Domains, and
 * the Progress page saying what go-live still waits for. Staff see the same state.
 */

const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test' });
const ADMIN = 'it@adatum.example';
let browser: Browser;

beforeAll(async () => {
  await createUser({ email: ADMIN, displayName: 'Ada Admin' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The portal does not poll: reload like a person would until the stage shows. */
async function waitForStage(page: Page, stage: string) {
  const shown = async () => {
    const now = await page.locator('#stage .pill').getAttribute('data-stage');
    if (now !== stage) await page.reload();
    return now;
  };
  await expect.poll(shown, { timeout: 60_000, interval: 250, message: "the portal's stage" }).toBe(stage);
}

test('a customer admin goes from the invitation to go-live readiness in the portal; staff see the same', { timeout: 180_000 }, async () => {
  const entra = stack.entra.emulator.createTenant({ name: 'Adatum' });
  entra.addUser({ email: 'tess@adatum.example', displayName: 'Tess Tester' });
  const tid = entra.tenantId;
  const started = await stack.staff.api('POST', '/api/staff/tenants', {
    tenantId: tid,
    orgName: 'Adatum',
    adminEmails: ADMIN,
    proposedDomains: ['adatum.example'],
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);

  // The invitation, opened in the admin's browser: sign in as the invited account, accept.
  const invite = await stack.env.inbox.waitFor((m) => m.to.includes(ADMIN) && m.text.includes('/portal/invite/'));
  const page = await (await browser.newContext({ baseURL: stack.env.baseUrl })).newPage();
  await page.goto(Inbox.link(invite, '/portal/invite/'));
  await page.click('#signin-for-invite');
  await submitSignIn(page, ADMIN, PASSWORD);
  await page.click('#accept-portal-invite');
  await page.waitForURL(`**/portal/${tid}`);
  await waitForStage(page, 'awaiting-consent');

  // Admin consent, from the consent email, in Entra's page.
  const consent = await stack.env.inbox.waitFor((m) => m.to.includes(ADMIN) && m.text.includes('/adminconsent'));
  const entraTab = await page.context().newPage();
  await entraTab.goto(Inbox.link(consent, '/adminconsent'));
  await entraTab.click('#accept');
  await entraTab.waitForURL('**/onboarding/consent/callback?**');
  await entraTab.close();
  await waitForStage(page, 'testing');

  // Connect: our values, and the certificate imported from Entra's metadata.
  await page.goto(`/portal/${tid}/connect`);
  expect(await page.textContent('#sp-values')).toContain(`${stack.env.baseUrl}/saml/${tid}/acs`);
  expect(await page.textContent('#certificates')).toContain(entra.signingCertificates()[0]!.thumbprint);

  // Test: a test sign-in through Entra's page comes back as a success, the admin still themselves.
  await page.goto(`/portal/${tid}/test`);
  await page.click('form[data-action="test-sign-in"] button');
  await page.waitForURL(`${stack.entra.url}/**`);
  await page.click('button.user-pick[data-email="tess@adatum.example"]');
  await page.waitForURL(`**/portal/${tid}/test**`);
  expect(await page.getAttribute('#result', 'data-outcome')).toBe('success');

  // Domains: propose, publish the TXT record (the emulator's DNS), check now.
  await page.goto(`/portal/${tid}/domains`);
  await page.fill('#proof-domain', 'adatum.example');
  await page.click('#domain-proofs form:has(#proof-domain) button');
  const row = page.locator('tr[data-domain="adatum.example"]');
  const record = (await row.locator('code').textContent())!;
  expect(record).toMatch(/^entrada-verification=/);
  stack.entra.emulator.dns.set('adatum.example', { txt: [[record]] });
  await row.locator('button', { hasText: 'Check now' }).click();
  // The check runs in the domain's proof workflow: reload like a person would until it shows.
  const status = async () => {
    const now = await page.getAttribute('tr[data-domain="adatum.example"]', 'data-status');
    if (now !== 'verified') await page.reload();
    return now;
  };
  await expect.poll(status, { timeout: 30_000, interval: 250, message: "the domain proof's status" }).toBe('verified');

  // Progress: what go-live waits for, and on whom.
  await page.goto(`/portal/${tid}`);
  expect(await page.getAttribute('#progress li[aria-current="step"]', 'data-stage')).toBe('testing');
  expect(await page.getAttribute('#checklist tr[data-item="auto-provisioning"]', 'data-ticked')).toBe('false');

  // Staff see the same state in their console.
  const staff = await stack.staff.request('GET', `/staff/tenants/${tid}`);
  expect(staff.status).toBe(200);
  expect(stack.staff.lastHtml).toContain('data-stage="testing"');
  expect(stack.staff.lastHtml).toMatch(/data-domain="adatum.example" data-status="verified"/);
});
