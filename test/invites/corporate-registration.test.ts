import { beforeAll, expect, test } from 'vitest';
import { AuditEventModel, FileModel, HubMembershipModel, InviteModel, SsoIdentityModel, UserModel } from '../../lib/models';
import { uploadFile } from '../../lib/collab/files';
import { writeBlob } from '../../lib/collab/file-storage';
import { Readable } from 'node:stream';
import { HttpClient } from '../support/http-client';
import { aliceWithHub, sendInvite, ssoThroughEmulator } from './support';
import { createUser } from '../support/people';
import { connectTenant, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

/**
 * The corporate link, end to end on real parts: the invite page, SP-initiated SSO through
 * the Entra emulator's sign-in page, the real ACS (which creates or migrates the account),
 * then the invite applied to that account, or refused when the SSO email is not the invited one.
 */

const stack = useStack({ entra: true, workers: true });
let contoso: SsoTenant;
let aliceClient: HttpClient;
let hubId: string;

beforeAll(async () => {
  contoso = await connectTenant(stack, { name: 'Contoso', domains: ['contoso.test'] });
  ({ hubId, client: aliceClient } = await aliceWithHub(stack.env.baseUrl));
});

/** The "Continue with ... sign-in" link of a corporate invite page. */
async function openCorporate(client: HttpClient, path: string): Promise<string> {
  expect((await client.get(path)).status).toBe(200);
  return client.lastHtml.match(/id="continue-sso" href="([^"]+)"/)![1].replace(/&amp;/g, '&');
}

test('a newcomer: invite page, company sign-in, account created by SSO, invite applied', async () => {
  contoso.emulated.addUser({ email: 'carol@contoso.test', displayName: 'Carol Chen' });
  const { path, token, id, email } = await sendInvite(stack.env, aliceClient, { email: 'carol@contoso.test', hubId });
  expect(path).toBe(`/corporateregistration/${token}`);
  expect(email.text).toContain(
    'Your organisation Contoso signs in with Microsoft Entra ID, so this link takes you to your company sign-in.',
  );

  const carol = new HttpClient(stack.env.baseUrl);
  const sso = await openCorporate(carol, path);
  expect(carol.lastHtml).toContain(
    'Alice Archer</strong> (alice@alice-corp.test) invited you, <strong>carol@contoso.test</strong>, to join the hub &quot;Launch&quot;.',
  );
  expect(sso).toBe(`/saml/${contoso.tenantId}/login?relayState=${encodeURIComponent(`${path}/complete`)}`);

  const acs = await ssoThroughEmulator(carol, sso, 'carol@contoso.test');
  expect(acs.status).toBe(303);
  expect(acs.headers.get('location')).toBe(`${path}/complete`);
  const complete = await carol.get(`${path}/complete`, { redirect: 'manual' });
  expect(complete.headers.get('location')).toBe(`/hubs/${hubId}`);
  expect((await carol.get(`/hubs/${hubId}`)).status).toBe(200);
  expect(carol.lastHtml).toContain('Launch');

  const user = await UserModel.findOne({ email: 'carol@contoso.test' }).lean();
  expect(user).toMatchObject({ kind: 'sso', tenantId: contoso.tenantId, status: 'active' });
  expect(user!.passwordHash).toBeUndefined();
  expect(await SsoIdentityModel.findOne({ userId: user!._id }).lean()).toMatchObject({
    tenantId: contoso.tenantId,
    objectId: contoso.emulated.findUser('carol@contoso.test')!.objectId,
  });
  expect(await HubMembershipModel.findOne({ hubId, userId: user!._id }).lean()).toMatchObject({ role: 'member' });
  expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'accepted', acceptedBy: user!._id });
  expect(await AuditEventModel.findOne({ action: 'invite.accepted', 'target.id': id }).lean()).toMatchObject({
    tenantId: contoso.tenantId,
    details: { kind: 'corporate' },
  });

  // Single use: the same link again, even signed in as Carol, is spent.
  expect((await carol.get(`${path}/complete`)).status).toBe(410);
  expect(carol.lastHtml).toContain('This invite was already used.');
});

test('the SSO user’s email must be the invited one: a clear refusal, audited, nothing applied', async () => {
  contoso.emulated.addUser({ email: 'erin@contoso.test', displayName: 'Erin Evans' });
  const { path, id } = await sendInvite(stack.env, aliceClient, { email: 'dave@contoso.test', hubId });
  const browser = new HttpClient(stack.env.baseUrl);
  const sso = await openCorporate(browser, path);
  const acs = await ssoThroughEmulator(browser, sso, 'erin@contoso.test'); // someone else signs in at Entra
  expect(acs.headers.get('location')).toBe(`${path}/complete`);

  const refused = await browser.get(`${path}/complete`);
  expect(refused.status).toBe(403);
  expect(browser.lastHtml).toContain('This invite is for someone else');
  expect(browser.lastHtml).toContain('This invite is for dave@contoso.test, but you are signed in as erin@contoso.test.');
  const erin = await UserModel.findOne({ email: 'erin@contoso.test' }).lean();
  expect(await HubMembershipModel.exists({ hubId, userId: erin!._id })).toBeNull();
  expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'pending' });
  expect(await AuditEventModel.findOne({ action: 'invite.email_mismatch', 'target.id': id }).lean()).toMatchObject({
    outcome: 'denied',
    actor: { userId: String(erin!._id) },
    tenantId: contoso.tenantId,
    details: { invitedEmail: 'dave@contoso.test', signedInEmail: 'erin@contoso.test', userKind: 'sso' },
  });
});

test('the email comparison ignores case', async () => {
  contoso.emulated.addUser({ email: 'Frank.Fisher@Contoso.TEST', displayName: 'Frank Fisher' });
  const { path, id } = await sendInvite(stack.env, aliceClient, { email: 'FRANK.fisher@contoso.test', hubId });
  const frank = new HttpClient(stack.env.baseUrl);
  const acs = await ssoThroughEmulator(frank, await openCorporate(frank, path), 'Frank.Fisher@Contoso.TEST');
  expect(acs.headers.get('location')).toBe(`${path}/complete`);
  expect((await frank.get(`${path}/complete`, { redirect: 'manual' })).headers.get('location')).toBe(`/hubs/${hubId}`);
  expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'accepted' });
});

test('someone with a standard account from before go-live is migrated by the SSO sign-in and keeps their files', async () => {
  const gail = await createUser({ email: 'gail@contoso.test', displayName: 'Gail' });
  const blob = await writeBlob(Readable.from([Buffer.from('mine since before SSO')]), {
    filename: 'old.txt',
    contentType: 'text/plain',
    maxBytes: 1024,
  });
  const file = await uploadFile(gail, { receive: async () => ({ filename: 'old.txt', contentType: 'text/plain', blob }) });
  contoso.emulated.addUser({ email: 'gail@contoso.test', displayName: 'Gail' });

  const { path, id } = await sendInvite(stack.env, aliceClient, { email: 'gail@contoso.test', hubId, hubRole: 'admin' });
  const browser = new HttpClient(stack.env.baseUrl);
  const acs = await ssoThroughEmulator(browser, await openCorporate(browser, path), 'gail@contoso.test');
  expect(acs.status).toBe(303);
  expect(acs.headers.get('location')).toBe(`${path}/complete`);
  expect((await browser.get(`${path}/complete`, { redirect: 'manual' })).headers.get('location')).toBe(`/hubs/${hubId}`);

  // The same account, now SSO, with its file and the invite's membership.
  const after = await UserModel.findById(gail.id).lean();
  expect(after).toMatchObject({ kind: 'sso', tenantId: contoso.tenantId, status: 'active' });
  expect(await UserModel.countDocuments({ email: 'gail@contoso.test' })).toBe(1);
  expect(await FileModel.findById(file.id).lean()).toMatchObject({ ownerId: after!._id });
  expect(await HubMembershipModel.findOne({ hubId, userId: gail.id }).lean()).toMatchObject({ role: 'admin' });
  expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'accepted', acceptedBy: after!._id });
});

test('opening the complete step without signing in sends the person back to the invite page', async () => {
  const { path } = await sendInvite(stack.env, aliceClient, { email: 'hana@contoso.test', hubId });
  const res = await new HttpClient(stack.env.baseUrl).get(`${path}/complete`, { redirect: 'manual' });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe(path);
});
