import { beforeAll, describe, expect, test } from 'vitest';
import { Inbox, type ReceivedEmail } from '../../scripts/lib/inbox';
import { AuditEventModel, UserModel } from '../../lib/models';
import { HttpClient } from '../support/http-client';
import { createUser, signedIn } from '../support/people';
import { useStack } from '../support/stack';
import { onboardToTesting, waitForStage } from '../onboarding/support';

/**
 * The portal invitation from the onboarding's email to tenancy admin rights: single use,
 * re-issued by staff (voiding the old link), refused after the onboarding ended, and the
 * Progress page it opens shows the workflow's stages and whose move it is.
 */
const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test' });
const ADMIN = 'it-admin@fabrikam.test';
let tenantId: string;

const SUBJECT = 'Your Entrada admin portal invitation for Fabrikam';
const inviteLink = (m: ReceivedEmail) => Inbox.link(m, '/portal/invite/');
const invitesTo = (email: string) => stack.env.inbox.to(email).filter((m) => m.subject === SUBJECT);
const adminOf = async (email: string) => (await UserModel.findOne({ email }).lean())?.tenantAdminOf ?? [];
const redeemAudits = (outcome: 'success' | 'denied') =>
  AuditEventModel.countDocuments({ action: 'portal.invite-redeemed', outcome, tenantId });

beforeAll(async () => {
  tenantId = await onboardToTesting(stack, { name: 'Fabrikam', admin: ADMIN, domains: ['fabrikam.test'] });
  await createUser({ email: ADMIN });
  await createUser({ email: 'someone.else@fabrikam.test' });
}, 60_000);

describe('portal invitation', () => {
  test('comes with the consent email, once, and makes the invited standard account an admin of the tenancy', async () => {
    const email = await stack.env.inbox.waitFor((m) => m.to.includes(ADMIN) && m.subject === SUBJECT);
    expect(invitesTo(ADMIN)).toHaveLength(1);
    const link = inviteLink(email);

    const anonymous = await new HttpClient(stack.env.baseUrl).get(new URL(link).pathname);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.text()).toContain(`Sign in as ${ADMIN}`);

    const admin = await signedIn(stack.env.baseUrl, ADMIN);
    expect((await admin.get(`/portal/${tenantId}`, { redirect: 'manual' })).status).toBe(404);
    await admin.get(new URL(link).pathname);
    const accepted = await admin.postForm(new URL(link).pathname, {});
    expect(accepted.status).toBe(200);
    expect(admin.lastHtml).toContain('<h2>Progress</h2>');
    expect((await admin.get(`/portal/${tenantId}`)).status).toBe(200);
    expect(await adminOf(ADMIN)).toEqual([tenantId]);
    expect(await redeemAudits('success')).toBe(1);

    // The Progress page: consent and metadata done, testing waiting on the customer.
    const page = admin.lastHtml;
    expect(page).toMatch(/data-stage="awaiting-consent" data-status="done"/);
    expect(page).toMatch(/data-stage="configuring" data-status="done"/);
    expect(page).toMatch(
      /data-stage="testing" data-status="current" aria-current="step"><strong>Test sign-ins<\/strong> <span class="pill" data-waiting-on="them">waiting on your organisation/,
    );
    expect(page).toMatch(/data-stage="awaiting-go-live" data-status="todo"/);
    expect(page).toContain('data-item="auto-provisioning" data-ticked="false"');

    // Used once: a second use, by anyone, is refused with a clear page and grants nothing.
    const again = await admin.postForm(new URL(link).pathname, {});
    expect(again.status).toBe(410);
    expect(admin.lastHtml).toContain('already been used');
    const other = await signedIn(stack.env.baseUrl, 'someone.else@fabrikam.test');
    await other.get(new URL(link).pathname);
    expect(other.lastHtml).toContain('already been used');
    expect(await adminOf('someone.else@fabrikam.test')).toEqual([]);
  });

  test('re-issued by staff: the old link is void, and the new one works only for the invited email (audited)', async () => {
    const old = inviteLink(invitesTo(ADMIN).at(-1)!);
    await stack.staff.get(`/staff/tenants/${tenantId}`);
    expect(stack.staff.lastHtml).toContain('id="portal-invites"');
    const reissued = await stack.staff.postForm(`/staff/tenants/${tenantId}/portal-invites/reissue`, { email: ADMIN });
    expect(reissued.status).toBe(200);
    expect(stack.staff.lastHtml).toContain('Portal invitation re-issued');
    await stack.env.inbox.waitFor(() => invitesTo(ADMIN).length === 2);
    const fresh = inviteLink(invitesTo(ADMIN).at(-1)!);
    expect(fresh).not.toBe(old);
    expect(await AuditEventModel.countDocuments({ action: 'portal.invite-reissued', tenantId, 'actor.email': 'sam@entrada.test' })).toBe(1);

    const deniedBefore = await redeemAudits('denied');
    const other = await signedIn(stack.env.baseUrl, 'someone.else@fabrikam.test');
    expect((await other.get(new URL(old).pathname)).status).toBe(404);
    expect(other.lastHtml).toContain('not valid');
    await other.get(new URL(fresh).pathname);
    const wrong = await other.postForm(new URL(fresh).pathname, {});
    expect(wrong.status).toBe(403);
    expect(other.lastHtml).toContain(`with the email ${ADMIN}`);
    expect(await adminOf('someone.else@fabrikam.test')).toEqual([]);
    expect(await redeemAudits('denied')).toBe(deniedBefore + 1);
  });

  test('after the onboarding ended, the link gives a clear page and no access', async () => {
    await createUser({ email: 'late.admin@fabrikam.test' });
    const reissued = await stack.staff.api('POST', `/api/staff/tenants/${tenantId}/portal-invites/reissue`, { email: ADMIN });
    expect(reissued.status).toBe(200);
    await stack.env.inbox.waitFor(() => invitesTo(ADMIN).length === 3);
    const link = new URL(inviteLink(invitesTo(ADMIN).at(-1)!)).pathname;
    const cancelled = await stack.staff.api('POST', `/api/staff/tenants/${tenantId}/cancel`, { reason: 'customer chose another vendor' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    await waitForStage(stack.staff, tenantId, 'cancelled');

    await UserModel.updateOne({ email: ADMIN }, { $set: { tenantAdminOf: [] } });
    const admin = await signedIn(stack.env.baseUrl, ADMIN);
    expect((await admin.get(link)).status).toBe(410);
    expect(admin.lastHtml).toContain('has ended');
    expect((await admin.postForm(link, {})).status).toBe(410);
    expect(await adminOf(ADMIN)).toEqual([]);
    const again = await stack.staff.api('POST', `/api/staff/tenants/${tenantId}/portal-invites/reissue`, { email: ADMIN });
    expect(again.status).toBe(409);
  });
});
