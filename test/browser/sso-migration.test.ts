import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Browser } from 'playwright-core';
import { launchChromium, submitSignIn } from '../support/browser';
import { UserModel } from '../../lib/models';
import { createUser } from '../support/people';
import { seedCollaboration, type SeededWorld } from '../support/seed-collaboration';
import { connectTenant, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

/**
 * In Chromium: a long-time password user whose organisation went live with SSO opens their
 * files, types email and password as always, is told their organisation now signs in with
 * Entra ID, continues to the (emulated) Entra sign-in page, and lands on the same files,
 * now as an SSO account.
 */

const stack = useStack({ entra: true, workers: true });
let contoso: SsoTenant;
let browser: Browser;
let world: SeededWorld;

beforeAll(async () => {
  contoso = await connectTenant(stack, { name: 'Contoso', domains: ['contoso.test'] });
  contoso.emulated.addUser({ email: 'sara@contoso.test', displayName: 'Sara Sample' });
  const sara = await createUser({ email: 'sara@contoso.test', displayName: 'Sara' });
  const colleague = await createUser({ email: 'cole@contoso.test', displayName: 'Cole' });
  world = await seedCollaboration(sara._id, colleague._id);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

test('a standard user with files signs in by SSO through the Entra page and sees the same files', { timeout: 120_000 }, async () => {
  const page = await (await browser.newContext({ baseURL: stack.env.baseUrl })).newPage();
  await page.goto('/files');
  await page.waitForURL('**/signin?next=%2Ffiles');
  await submitSignIn(page, 'sara@contoso.test');

  // Home-realm discovery: the password is not used, and the upgrade is explained.
  await page.waitForSelector('#sso-start');
  expect(await page.textContent('#sso-start')).toContain('your files, hubs, contacts, messages and meetings stay exactly as they are');
  await page.click('#sso-continue');

  // Entra's (emulated) sign-in page, then its auto-post back to Entrada's ACS.
  await page.waitForURL(`${stack.entra.url}/**`);
  await page.click('button.user-pick[data-email="sara@contoso.test"]');
  await page.waitForURL(`${stack.env.baseUrl}/files`, { timeout: 60_000 });

  const names = await page.locator('a[href^="/files/"]:not([href$="/download"])').allTextContents();
  for (const f of world.files) expect(names.map((n) => n.trim())).toContain(f.name);
  await page.screenshot({ path: path.join(os.tmpdir(), 'sso-migration-files.png'), fullPage: true });
  expect(await UserModel.findOne({ email: 'sara@contoso.test' }).lean()).toMatchObject({
    kind: 'sso',
    status: 'active',
    tenantId: contoso.tenantId,
  });
});
