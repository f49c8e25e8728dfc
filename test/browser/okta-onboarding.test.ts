import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import type { OktaApp } from '../../emulator/okta/org';
import { FileModel, UserModel } from '../../lib/models';
import { launchChromium, submitSignIn } from '../support/browser';
import { createUser } from '../support/people';
import { seedCollaboration } from '../support/seed-collaboration';
import { useStack } from '../support/stack';

/**
 * In Chromium, an Okta-kind tenancy from start to live: staff start it in the console with Okta
 * as the identity provider, paste the app's metadata URL (the metadata exchange), and people sign
 * in through the Okta emulator's own pages: a new user is provisioned, a password user with
 * files is migrated onto SSO keeping them, a user Okta recreated gets a fresh account. Each
 * sign-in ticks its checklist item; staff take the tenancy live.
 */

const stack = useStack({ entra: true, workers: true });
let browser: Browser;
let okta: OktaApp;

beforeAll(async () => {
  await createUser({ email: 'sam@entrada.test', isStaff: true, displayName: 'Sam Staff', password: 'staff-password-long-42' });
  okta = stack.entra.emulator.createOktaApp({ name: 'Initech' });
  okta.addUser({ email: 'peter@initech.example', givenName: 'Peter', surname: 'Gibbons' });
  okta.addUser({ email: 'milton@initech.example', givenName: 'Milton', surname: 'Waddams' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function newPage(): Promise<Page> {
  return (await browser.newContext({ baseURL: stack.env.baseUrl })).newPage();
}

/** The console page does not poll: reload like a person would until the stage shows. */
async function waitForStage(page: Page, stage: string) {
  const shown = async () => {
    const now = await page.locator('#stage .pill').getAttribute('data-stage');
    if (now !== stage) await page.goto(page.url().split('?')[0]!);
    return now;
  };
  await expect.poll(shown, { timeout: 60_000, interval: 250, message: `the console's stage` }).toBe(stage);
}

/** A tester's SSO sign-in, SP-initiated from Entrada's sign-in link, through Okta's page. */
async function signInThroughOkta(tenantId: string, email: string): Promise<void> {
  const page = await newPage();
  await page.goto(`/saml/${tenantId}/login`);
  await page.waitForURL((url) => url.href.startsWith(`${okta.ssoUrl()}?SAMLRequest=`));
  expect(await page.textContent('.brand')).toContain('Okta (emulator)');
  await page.click(`button.user-pick[data-email="${email}"]`);
  await page.waitForURL(`${stack.env.baseUrl}/`, { timeout: 60_000 });
  await page.context().close();
}

test(
  'an Okta tenancy: metadata exchange in the console, sign-ins through Okta tick the tests, a password user keeps their files, live',
  { timeout: 180_000 },
  async () => {
    const milton = await createUser({ email: 'milton@initech.example', displayName: 'Milton' });
    const colleague = await createUser({ email: 'bill@initech.example', displayName: 'Bill' });
    const world = await seedCollaboration(milton._id, colleague._id);

    const staff = await newPage();
    await staff.goto('/staff/tenants/new');
    await staff.waitForURL('**/signin?next=**');
    await submitSignIn(staff, 'sam@entrada.test', 'staff-password-long-42');
    await staff.waitForURL('**/staff/tenants/new');
    await staff.selectOption('#kind', 'okta');
    await staff.fill('#orgName', 'Initech');
    await staff.fill('#adminEmails', 'it@initech.example');
    await staff.fill('#proposedDomains', 'initech.example');
    await staff.click('#start-onboarding');
    await staff.waitForURL((url) => url.searchParams.get('done') === 'start-metadata');
    expect(await staff.textContent('.notice.success')).toContain('give the customer our SP metadata');
    const tenantId = new URL(staff.url()).pathname.split('/').pop()!;

    // The metadata exchange: no consent email; staff paste the app's metadata URL.
    await waitForStage(staff, 'configuring');
    await staff.fill('#idpMetadataUrl', okta.metadataUrl());
    await staff.click('form[data-action="fetch-idp-metadata"] button');
    await waitForStage(staff, 'testing');
    expect(await staff.textContent('#metadata')).toContain(okta.issuer);
    expect(await staff.textContent('#metadata h2')).toBe('Identity provider (Okta)');

    await signInThroughOkta(tenantId, 'peter@initech.example');
    await signInThroughOkta(tenantId, 'milton@initech.example');
    okta.recreateUser('peter@initech.example');
    await signInThroughOkta(tenantId, 'peter@initech.example');

    await waitForStage(staff, 'awaiting-go-live');
    for (const item of ['auto-provisioning', 'account-migration', 'account-recreation']) {
      expect(await staff.getAttribute(`#checklist tr[data-item="${item}"]`, 'data-ticked'), item).toBe('true');
    }
    await staff.click('form[data-action="go-live"] button');
    expect(await staff.textContent('.notice.success')).toBe('Go-live approved: the tenant is live.');
    await waitForStage(staff, 'live');

    // Milton is the same account, now signing in through Okta, and every file is still there.
    expect(await UserModel.findById(milton._id).lean()).toMatchObject({ kind: 'sso', status: 'active', tenantId });
    expect(await FileModel.countDocuments({ _id: { $in: world.files.map((f) => f.id) } })).toBe(world.files.length);
  },
);
