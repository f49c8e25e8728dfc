import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, submitSignIn } from '../support/browser';
import { createHub } from '../../lib/collab/hubs';
import { Inbox } from '../../scripts/lib/inbox';
import { createUser, PASSWORD } from '../support/people';
import { connectTenant, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

/**
 * In Chromium: an owner invites an internal (Contoso, SSO) and an external person to one hub
 * through the invite form; each opens the link from their own email. The internal's link is
 * corporate and ends in SSO on the Entra emulator's sign-in page; the external's is standard
 * and registers. Both then see the file shared in the hub, and can download it.
 */

const stack = useStack({ entra: true });
let contoso: SsoTenant;
let browser: Browser;
let hubId: string;

beforeAll(async () => {
  contoso = await connectTenant(stack, { name: 'Contoso', domains: ['contoso.test'] });
  contoso.emulated.addUser({ email: 'ian@contoso.test', displayName: 'Ian Inside' });
  const owner = await createUser({ email: 'olivia@owner.test', displayName: 'Olivia Owner' });
  hubId = (await createHub(owner, 'Launch plan')).id;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.env.baseUrl });
  return context.newPage();
}

async function invite(page: Page, email: string) {
  await page.goto(`/invites/new?hubId=${hubId}`);
  await page.fill('#email', email);
  await page.click('#invite-form button');
  await page.waitForURL('**/invites?notice=sent');
}

/** The file rows of the hub page the person is on. */
const hubFileNames = (page: Page) => page.locator('a[href^="/files/"]:not([href$="/download"])').allTextContents();

test('an internal joins through SSO and an external registers; both see the hub’s file', { timeout: 120_000 }, async () => {
  // The owner signs in, invites both, and shares a file in the hub.
  const owner = await newPage();
  await owner.goto('/signin');
  await submitSignIn(owner, 'olivia@owner.test');
  await owner.waitForURL(`${stack.env.baseUrl}/`);
  await invite(owner, 'ian@contoso.test');
  await invite(owner, 'xena@external.test');
  await expect.poll(() => owner.locator('#invites tbody tr').count()).toBe(2);
  await expect(owner.locator('#invites tr', { hasText: 'ian@contoso.test' }).textContent()).resolves.toContain('Company sign-in');
  await expect(owner.locator('#invites tr', { hasText: 'xena@external.test' }).textContent()).resolves.toContain('Standard');

  await owner.goto(`/hubs/${hubId}`);
  await owner.setInputFiles('#upload-file', { name: 'launch-brief.txt', mimeType: 'text/plain', buffer: Buffer.from('Launch on Monday.') });
  await owner.click('form[enctype="multipart/form-data"] button');
  await expect.poll(() => hubFileNames(owner)).toEqual(['launch-brief.txt']);

  // The internal: corporate link, company sign-in at the emulator, back in the hub.
  const toIan = await stack.env.inbox.waitFor((m) => m.to.includes('ian@contoso.test'));
  expect(toIan.text).toContain(
    'Your organisation Contoso signs in with Microsoft Entra ID, so this link takes you to your company sign-in.',
  );
  const corporateLink = Inbox.link(toIan, '/corporateregistration/');
  const ian = await newPage();
  await ian.goto(corporateLink);
  await expect(ian.locator('#invite-summary').textContent()).resolves.toContain(
    'Olivia Owner (olivia@owner.test) invited you, ian@contoso.test, to join the hub "Launch plan".',
  );
  await ian.click('#continue-sso');
  await ian.waitForURL(`${stack.entra.url}/**`);
  await expect(ian.locator('h1').textContent()).resolves.toBe('Sign in to Contoso');
  await ian.click('button.user-pick[data-email="ian@contoso.test"]');
  await ian.waitForURL(`${stack.env.baseUrl}/hubs/${hubId}`);
  await expect.poll(() => hubFileNames(ian)).toEqual(['launch-brief.txt']);
  await expect(ian.locator('header').textContent()).resolves.toContain('Ian Inside');

  // The external: standard link, registration with the invited email fixed.
  const toXena = await stack.env.inbox.waitFor((m) => m.to.includes('xena@external.test'));
  expect(toXena.text).toContain('This is a standard invite link');
  const standardLink = Inbox.link(toXena, '/invite/');
  expect(toXena.text).not.toContain('/corporateregistration/');
  const xena = await newPage();
  await xena.goto(standardLink);
  await expect(xena.locator('#email').inputValue()).resolves.toBe('xena@external.test');
  await xena.fill('#displayName', 'Xena External');
  await xena.fill('#password', PASSWORD);
  await xena.click('#register-submit');
  await xena.waitForURL(`${stack.env.baseUrl}/hubs/${hubId}`);
  await expect.poll(() => hubFileNames(xena)).toEqual(['launch-brief.txt']);

  // Both can open the file itself, and the members list shows both kinds of account.
  for (const person of [ian, xena]) {
    const href = await person.locator('a[href$="/download"]').first().getAttribute('href');
    const res = await person.request.get(href!);
    expect(res.status()).toBe(200);
    expect(await res.text()).toBe('Launch on Monday.');
  }
  const members = await xena.locator('table').filter({ hasText: 'Account' }).textContent();
  expect(members).toMatch(/ian@contoso\.test[\s\S]*SSO/);
  expect(members).toMatch(/xena@external\.test[\s\S]*Password/);
});
