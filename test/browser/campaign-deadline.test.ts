import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { Inbox } from '../../scripts/lib/inbox';
import { UserModel } from '../../lib/models';
import { launchChromium, submitSignIn } from '../support/browser';
import { createUser } from '../support/people';
import { seedCollaboration, type SeededWorld } from '../support/seed-collaboration';
import { connectTenant, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

/**
 * In Chromium, a migration campaign with a deadline, as the people in it see it: the tenancy's
 * admin starts one on the portal's Progress page; each standard account of the domain gets the
 * nudge email; one follows its link, signs in through Entra's page and keeps their files; the
 * portal shows 1 of 3 migrated; once the deadline passes the page shows the campaign ended with
 * its numbers, and a remaining user's password sign-in is refused with the page that leads to SSO.
 *
 * Time runs for real but short, as in the API-level campaign tests: the deadline is 30 seconds
 * after the start and the campaign re-counts progress every second.
 */

const stack = useStack({ entra: true, workers: true, config: { CAMPAIGN_PROGRESS_INTERVAL: '1s' } });
const DOMAIN = 'fabrikam.test';
const [ANN, BOB, CAT] = ['ann', 'bob', 'cat'].map((n) => `${n}@${DOMAIN}`);
/** The admin's own account is outside the domain (a contractor's), so the campaign does not count it. */
const ADMIN = 'it@fabrikam-partner.test';
const COLLEAGUE = 'cole@elsewhere.test';
let fabrikam: SsoTenant;
let browser: Browser;
let world: SeededWorld;

beforeAll(async () => {
  fabrikam = await connectTenant(stack, { name: 'Fabrikam', domains: [DOMAIN] });
  fabrikam.emulated.addUser({ email: ANN, displayName: 'Ann Archer' });
  const ann = await createUser({ email: ANN, displayName: 'Ann' });
  for (const email of [BOB, CAT]) await createUser({ email });
  const colleague = await createUser({ email: COLLEAGUE, displayName: 'Cole' });
  world = await seedCollaboration(ann._id, colleague._id);
  await createUser({ email: ADMIN, displayName: 'Ida Admin', tenantAdminOf: [fabrikam.tenantId] });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const NUDGE = 'Fabrikam now signs in to Entrada with single sign-on';
const nudges = (email: string) => stack.env.inbox.to(email).filter((m) => m.subject === NUDGE);

/** The portal does not poll: reload like a person would until the campaign's row shows `status`. */
async function waitForCampaign(page: Page, status: string, timeout: number) {
  const row = page.locator(`#campaigns tr[data-domain="${DOMAIN}"]`);
  const shown = async () => {
    const now = await row.getAttribute('data-status');
    if (now !== status) await page.reload();
    return now;
  };
  await expect.poll(shown, { timeout, interval: 500, message: "the campaign's status" }).toBe(status);
  return row;
}

test(
  'an admin runs a campaign with a deadline: nudges, one user migrates with their files, progress, then the deadline',
  { timeout: 150_000 },
  async () => {
    const tid = fabrikam.tenantId;
    // The admin, in the portal: start a campaign for the domain, one round now, deadline 30 s on.
    const admin = await (await browser.newContext({ baseURL: stack.env.baseUrl })).newPage();
    await admin.goto(`/portal/${tid}`);
    await submitSignIn(admin, ADMIN);
    await admin.waitForURL(`**/portal/${tid}`);
    await admin.selectOption('#campaign-domain', DOMAIN);
    await admin.fill('#campaign-schedule', '0');
    await admin.fill('#campaign-deadline', '30s');
    await admin.click('#campaigns form:has(#campaign-domain) button');
    await admin.waitForURL(`**/portal/${tid}?done=campaign-started#campaigns`);
    expect(await admin.textContent('.notice')).toContain('Migration campaign started');

    // Every standard account of the domain gets the nudge; nobody else does.
    const toAnn = await stack.env.inbox.waitFor((m) => m.to.includes(ANN) && m.subject.includes('single sign-on'));
    expect(toAnn.subject).toBe('Fabrikam now signs in to Entrada with single sign-on');
    expect(toAnn.text).toContain('You keep everything: your files, hubs, contacts, messages and meetings stay exactly as they are.');
    await expect.poll(() => [BOB, CAT].map((e) => nudges(e).length), { timeout: 15_000 }).toEqual([1, 1]);

    // Ann follows the email's link, signs in through Entra's page, and lands on her own files.
    const ann = await (await browser.newContext({ baseURL: stack.env.baseUrl })).newPage();
    await ann.goto(Inbox.link(toAnn, '/signin'));
    await submitSignIn(ann, ANN);
    await ann.click('#sso-continue');
    await ann.waitForURL(`${stack.entra.url}/**`);
    await ann.click(`button.user-pick[data-email="${ANN}"]`);
    await ann.waitForURL(`${stack.env.baseUrl}/**`, { timeout: 60_000 });
    await ann.goto('/files');
    const names = (await ann.locator('a[href^="/files/"]:not([href$="/download"])').allTextContents()).map((n) => n.trim());
    for (const f of world.files) expect(names).toContain(f.name);
    expect(await UserModel.findOne({ email: ANN }).lean()).toMatchObject({ kind: 'sso', tenantId: tid });
    await stack.env.inbox.waitFor((m) => m.to.includes(ANN) && m.subject === 'Your Entrada account now uses single sign-on');

    // The admin sees the progress while the campaign waits for its deadline.
    const row = admin.locator(`#campaigns tr[data-domain="${DOMAIN}"]`);
    const progress = async () => {
      const text = await row.locator('.progress').textContent();
      if (text !== '1 of 3') await admin.reload();
      return text;
    };
    await expect.poll(progress, { timeout: 20_000, interval: 500, message: 'the campaign progress' }).toBe('1 of 3');
    expect(await row.getAttribute('data-status')).toBe('awaiting-deadline');

    // The deadline passes: the campaign ends with its numbers, and no actions are left on it.
    const ended = await waitForCampaign(admin, 'deadline-passed', 60_000);
    expect(await ended.locator('.progress').textContent()).toBe('1 of 3');
    expect(await ended.locator('form').count()).toBe(0);

    // Bob, who did not migrate, types his password as always: refused, and led to his organisation's sign-in.
    const bob = await (await browser.newContext({ baseURL: stack.env.baseUrl })).newPage();
    await bob.goto(Inbox.link(nudges(BOB)[0], '/signin'));
    await submitSignIn(bob, BOB);
    await bob.waitForSelector('#sso-start');
    expect(await bob.textContent('#sso-start')).toContain('your files, hubs, contacts, messages and meetings stay exactly as they are');
    expect(await bob.getAttribute('#sso-continue', 'href')).toContain(`/saml/${tid}/`);
    expect(await UserModel.findOne({ email: BOB }).lean()).toMatchObject({ kind: 'standard' });

    // One nudge each, to the domain's standard accounts only.
    expect([ANN, BOB, CAT, ADMIN, COLLEAGUE].map((e) => nudges(e).length)).toEqual([1, 1, 1, 0, 0]);
  },
);
