import { beforeAll, describe, expect, test } from 'vitest';
import { AuditEventModel, HubMembershipModel, InviteModel, UserModel } from '../../lib/models';
import { HttpClient } from '../support/http-client';
import { aliceWithHub, liveTenant, sendInvite } from './support';
import { createUser, PASSWORD, signedIn, withCsrf } from '../support/people';
import { useStack } from '../support/stack';

/**
 * Standard registration is refused for nominated domains of live tenants, through an invite
 * link and through open self-registration, and a link sent before a nomination follows it.
 * (The SSO round trip itself is in corporate-registration.test.ts.)
 */

const stack = useStack();
let aliceClient: HttpClient;
let hubId: string;
let contosoId: string;

beforeAll(async () => {
  ({ hubId, client: aliceClient } = await aliceWithHub(stack.env.baseUrl));
  contosoId = await liveTenant({ name: 'Contoso', domains: ['contoso.test'] });
});

test('a standard link for a domain nominated since it was sent leads into the corporate flow (SSO)', async () => {
  const { path, token, id } = await sendInvite(stack.env, aliceClient, { email: 'dan@later.test', hubId });
  expect(path).toBe(`/invite/${token}`);
  const laterId = await liveTenant({ name: 'Later Inc', domains: ['later.test'] });

  const dan = new HttpClient(stack.env.baseUrl);
  const opened = await dan.get(path, { redirect: 'manual' });
  expect(opened.status).toBe(303);
  expect(opened.headers.get('location')).toBe(`/corporateregistration/${token}`);

  await dan.get(path);
  expect(dan.lastHtml).toContain('Your organisation <strong>Later Inc</strong> signs in with Microsoft Entra ID');
  const sso = dan.lastHtml.match(/id="continue-sso" href="([^"]+)"/)![1].replace(/&amp;/g, '&');
  expect(sso).toBe(`/saml/${laterId}/login?relayState=${encodeURIComponent(`/corporateregistration/${token}/complete`)}`);
  expect(dan.lastHtml).toContain('Continue with Later Inc sign-in');
  expect(dan.lastHtml).not.toContain('id="invite-register"');

  // Posting the registration form opened before the nomination creates nothing and goes to the corporate flow.
  await withCsrf(dan);
  const res = await dan.postForm(`${path}/register`, { displayName: 'Dan', password: PASSWORD }, { redirect: 'manual' });
  expect(res.headers.get('location')).toBe(`/corporateregistration/${token}`);
  expect(await UserModel.exists({ email: 'dan@later.test' })).toBeNull();
  expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'pending' });
  expect(
    await AuditEventModel.findOne({ action: 'invite.refused', 'target.id': id, 'details.reason': 'nominated-domain' }).lean(),
  ).toBeTruthy();
});

test('a corporate link whose tenant stopped enforcing SSO falls back to standard registration', async () => {
  const leftId = await liveTenant({ name: 'Leaving Ltd', domains: ['leaving.test'] });
  const { path, token } = await sendInvite(stack.env, aliceClient, { email: 'lee@leaving.test', hubId });
  expect(path).toBe(`/corporateregistration/${token}`);
  const { TenantModel } = await import('../../lib/models');
  await TenantModel.updateOne({ tenantId: leftId }, { $set: { stage: 'awaiting-go-live' } });
  const lee = new HttpClient(stack.env.baseUrl);
  const res = await lee.get(path, { redirect: 'manual' });
  expect(res.headers.get('location')).toBe(`/invite/${token}`);
  await lee.get(path);
  expect(lee.lastHtml).toContain('id="invite-register"');
});

describe('open self-registration', () => {
  test('is refused for a nominated domain, with a pointer to the tenant’s SSO; nothing is created', async () => {
    const client = new HttpClient(stack.env.baseUrl);
    await client.get('/register');
    const res = await client.postForm('/register', { email: 'Carol@Contoso.test', displayName: 'Carol', password: PASSWORD });
    expect(res.status).toBe(403);
    expect(client.lastHtml).toContain('contoso.test addresses belong to Contoso, which signs in with Microsoft Entra ID');
    expect(client.lastHtml).toContain(`href="/saml/${contosoId}/login"`);
    expect(await UserModel.exists({ email: 'carol@contoso.test' })).toBeNull();
    expect(stack.env.inbox.to('carol@contoso.test')).toHaveLength(0);
    expect(
      await AuditEventModel.findOne({ action: 'auth.register', outcome: 'denied', 'actor.email': 'carol@contoso.test' }).lean(),
    ).toBeTruthy();

    const api = await withCsrf(new HttpClient(stack.env.baseUrl));
    const refused = await api.api('POST', '/api/auth/register', { email: 'carol@contoso.test', displayName: 'Carol', password: PASSWORD });
    expect(refused).toMatchObject({
      status: 403,
      body: { error: { code: 'registration_refused', details: { ssoUrl: `/saml/${contosoId}/login` } } },
    });
  });

  test('stays open for everyone else, and for a nominated domain of a tenant that is not live', async () => {
    await liveTenant({ name: 'Pending Co', domains: ['pending.test'] });
    const { TenantModel } = await import('../../lib/models');
    await TenantModel.updateOne({ name: 'Pending Co' }, { $set: { stage: 'testing' } });
    for (const email of ['zoe@partner.test', 'pat@pending.test']) {
      const client = new HttpClient(stack.env.baseUrl);
      await client.get('/register');
      const res = await client.postForm('/register', { email, displayName: 'Someone', password: PASSWORD });
      expect(res.status).toBe(200);
      expect(await UserModel.exists({ email })).toBeTruthy();
    }
  });
});

describe('a corporate invite is never accepted by a password account', () => {
  test('a password session from before go-live is sent into SSO instead', async () => {
    const olga = await createUser({ email: 'olga@golive.test', displayName: 'Olga' });
    const session = await signedIn(stack.env.baseUrl, olga.email);
    await liveTenant({ name: 'Go Live Corp', domains: ['golive.test'] });
    const { path, token, id } = await sendInvite(stack.env, aliceClient, { email: olga.email, hubId });
    expect(path).toBe(`/corporateregistration/${token}`);

    const complete = await session.get(`${path}/complete`, { redirect: 'manual' });
    expect(complete.headers.get('location')).toBe(path);
    const viaStandard = await session.postForm(`/invite/${token}/accept`, {}, { redirect: 'manual' });
    expect(viaStandard.headers.get('location')).toBe(path);
    expect(await HubMembershipModel.exists({ hubId, userId: olga.id })).toBeNull();
    expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'pending' });
    expect(await AuditEventModel.countDocuments({ action: 'invite.refused', 'target.id': id, 'details.reason': 'sso-required' })).toBe(2);
  });

  test('signed in with another email, the complete step refuses with a clear page and audits the mismatch', async () => {
    const { path, id } = await sendInvite(stack.env, aliceClient, { email: 'quinn@contoso.test', hubId });
    const other = await signedIn(stack.env.baseUrl, (await createUser({ email: 'other@partner.test' })).email);
    const res = await other.get(`${path}/complete`);
    expect(res.status).toBe(403);
    expect(other.lastHtml).toContain('This invite is for quinn@contoso.test, but you are signed in as other@partner.test.');
    expect(await AuditEventModel.findOne({ action: 'invite.email_mismatch', 'target.id': id }).lean()).toMatchObject({ outcome: 'denied' });
    expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'pending' });
  });
});
