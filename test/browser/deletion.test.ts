import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, submitSignIn } from '../support/browser';
import { FileModel, SsoIdentityModel, UserModel } from '../../lib/models';
import { deletionWorkflowId } from '../../lib/contracts/shared';
import { createUser } from '../support/people';
import { seedCollaboration } from '../support/seed-collaboration';
import { connectTenant, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

/**
 * In Chromium: an SSO user works with files; staff delete the account from the console
 * (with a reason) and watch the purge finish; the user's browser is signed out; Entra
 * recreates the account (same email, new object ID) and the next sign-in through the Entra
 * page lands in a new, empty account.
 */

const stack = useStack({ entra: true, workers: true });
let fabrikam: SsoTenant;
let browser: Browser;

beforeAll(async () => {
  fabrikam = await connectTenant(stack, { name: 'Fabrikam', domains: ['fabrikam.test'] });
  fabrikam.emulated.addUser({ email: 'rosa@fabrikam.test', displayName: 'Rosa Rivera' });
  await createUser({ email: 'staff@entrada.test', isStaff: true, displayName: 'Stella Staff' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** From /files through the sign-in page and the (emulated) Entra page, back to /files. */
async function ssoSignIn(page: Page, email: string) {
  await page.goto('/files');
  await page.waitForURL('**/signin?next=%2Ffiles');
  await page.fill('#email', email);
  await page.click('form[action="/signin"] button');
  await page.waitForURL(`${stack.entra.url}/**`);
  await page.click(`button.user-pick[data-email="${email}"]`);
  await page.waitForURL(`${stack.env.baseUrl}/files`, { timeout: 60_000 });
}

test(
  'staff delete an SSO user from the console; the recreated Entra account signs in to an empty account',
  { timeout: 180_000 },
  async () => {
    const rosa = await (await browser.newContext({ baseURL: stack.env.baseUrl })).newPage();
    await ssoSignIn(rosa, 'rosa@fabrikam.test');
    const old = (await UserModel.findOne({ email: 'rosa@fabrikam.test' }).lean())!;
    const colleague = await createUser({ email: 'cole@fabrikam.test' });
    const world = await seedCollaboration(old._id, colleague._id);
    await rosa.reload();
    expect(await rosa.locator('a[href^="/files/"]').allTextContents()).toEqual(expect.arrayContaining([world.files[0].name]));

    // Staff: find her in the console, delete with a reason, watch the progress page finish.
    const staff = await (await browser.newContext({ baseURL: stack.env.baseUrl })).newPage();
    await staff.goto('/staff/users?q=rosa');
    await staff.waitForURL('**/signin?next=**');
    await submitSignIn(staff, 'staff@entrada.test');
    await staff.waitForURL('**/staff/users?q=rosa');
    await staff.click('a:has-text("rosa@fabrikam.test")');
    await staff.waitForURL(`**/staff/users/${old._id}`);
    await staff.goto(`/staff/users/${old._id}/delete`);
    await staff.fill('#reason', 'Left Fabrikam; Entra account recreated for a new hire');
    await staff.click('button.danger');
    await staff.waitForURL(`**/staff/users/${old._id}/deletion`);
    await staff.waitForSelector('[data-status="deleted"]', { timeout: 60_000 });
    expect(await staff.textContent('[data-files-purged]')).toBe('3');
    await staff.screenshot({ path: path.join(os.tmpdir(), 'deletion-progress.png'), fullPage: true });
    expect(await stack.env.temporal.workflow.getHandle(deletionWorkflowId(String(old._id))).result()).toMatchObject({
      counts: { files: 3, identitiesTombstoned: 1 },
    });

    // Her open browser is signed out.
    await rosa.goto('/files');
    await rosa.waitForURL('**/signin?next=%2Ffiles');

    // Entra recreates the account: same email, new object ID. Signing in gives a new, empty account.
    const recreated = fabrikam.emulated.recreateUser('rosa@fabrikam.test');
    const fresh = await (await browser.newContext({ baseURL: stack.env.baseUrl })).newPage();
    await ssoSignIn(fresh, 'rosa@fabrikam.test');
    expect(await fresh.textContent('body')).toContain('You have not uploaded any files yet.');
    expect(await fresh.textContent('body')).toContain('Nobody has shared a file with you yet.');
    await fresh.screenshot({ path: path.join(os.tmpdir(), 'deletion-recreated-files.png'), fullPage: true });

    const now = (await UserModel.findOne({ email: 'rosa@fabrikam.test' }).lean())!;
    expect(String(now._id)).not.toBe(String(old._id));
    expect(await FileModel.countDocuments({ $or: [{ ownerId: now._id }, { sharedWith: now._id }] })).toBe(0);
    expect(await SsoIdentityModel.findOne({ tenantId: fabrikam.tenantId, objectId: recreated.objectId }).lean()).toMatchObject({
      userId: now._id,
      status: 'active',
    });
    expect(await SsoIdentityModel.findOne({ userId: old._id }).lean()).toMatchObject({ status: 'deleted' });
  },
);
