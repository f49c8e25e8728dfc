import { beforeAll, describe, expect, test } from 'vitest';
import { Readable } from 'node:stream';
import { AuditEventModel, ContactModel, FileModel, HubMembershipModel, InviteModel, UserModel } from '../../lib/models';
import { addMember, changeRole } from '../../lib/collab/hub-members';
import { uploadFile } from '../../lib/collab/files';
import { writeBlob } from '../../lib/collab/file-storage';
import { failNextCall, failNextQuery } from '../support/faults';
import { HttpClient } from '../support/http-client';
import { aliceWithHub, type Inviter, sendInvite } from './support';
import { createUser, PASSWORD, signedIn, withCsrf } from '../support/people';
import { useStack } from '../support/stack';

/** The standard link `/invite/<token>`: registering through it, or accepting while signed in. */

const stack = useStack();
let alice: Inviter['alice'];
let aliceClient: HttpClient;
let hubId: string;

beforeAll(async () => {
  ({ alice, hubId, client: aliceClient } = await aliceWithHub(stack.env.baseUrl));
});

const membership = async (email: string, hub = hubId) => {
  const user = await UserModel.findOne({ email }).lean();
  return user ? HubMembershipModel.findOne({ hubId: hub, userId: user._id }).lean() : null;
};

test('a newcomer registers through the link (email fixed to the invited one) and lands in the hub', async () => {
  const { path, id } = await sendInvite(stack.env, aliceClient, { email: 'erin@partner.test', hubId });
  const erin = new HttpClient(stack.env.baseUrl);
  expect((await erin.get(path)).status).toBe(200);
  expect(erin.lastHtml).toContain(
    'Alice Archer</strong> (alice@alice-corp.test) invited you, <strong>erin@partner.test</strong>, to join the hub &quot;Launch&quot;.',
  );
  expect(erin.lastHtml).toMatch(/<input id="email" type="email" value="erin@partner.test" readonly disabled>/);

  // A posted email is ignored: the account is for the invited address.
  const res = await erin.postForm(
    `${path}/register`,
    { displayName: 'Erin Example', password: PASSWORD, email: 'someone-else@partner.test' },
    { redirect: 'manual' },
  );
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe(`/hubs/${hubId}`);

  const user = await UserModel.findOne({ email: 'erin@partner.test' }).lean();
  expect(user).toMatchObject({ kind: 'standard', status: 'active', displayName: 'Erin Example' });
  expect(user!.emailConfirmedAt).toBeInstanceOf(Date);
  expect(await UserModel.exists({ email: 'someone-else@partner.test' })).toBeNull();
  expect(await membership('erin@partner.test')).toMatchObject({ role: 'member' });
  expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'accepted', acceptedBy: user!._id });
  expect(await AuditEventModel.findOne({ action: 'invite.accepted', 'target.id': id }).lean()).toMatchObject({
    outcome: 'success',
    actor: { userId: String(user!._id) },
    details: { kind: 'standard' },
  });

  // Signed in now, and the password works for later sign-ins.
  const me = await withCsrf(erin);
  expect((await me.api('GET', '/api/auth/me')).body.user).toMatchObject({ email: 'erin@partner.test' });
  await signedIn(stack.env.baseUrl, 'erin@partner.test');
});

test('registration through the link checks the form like open registration does', async () => {
  const { path } = await sendInvite(stack.env, aliceClient, { email: 'weak@partner.test', hubId });
  const client = new HttpClient(stack.env.baseUrl);
  await client.get(path);
  const res = await client.postForm(`${path}/register`, { displayName: 'Weak', password: 'short' });
  expect(res.status).toBe(400);
  expect(client.lastHtml).toContain('class="notice error"');
  expect(client.lastHtml).toContain('value="Weak"');
  expect(await UserModel.exists({ email: 'weak@partner.test' })).toBeNull();
});

test('someone with an account, signed in with the invited email, accepts directly', async () => {
  const fred = await createUser({ email: 'fred@partner.test', displayName: 'Fred' });
  const { path, id } = await sendInvite(stack.env, aliceClient, { email: 'fred@partner.test', hubId, hubRole: 'admin' });
  const client = await signedIn(stack.env.baseUrl, fred.email);
  await client.get(path);
  expect(client.lastHtml).toContain('id="accept-invite"');
  const res = await client.postForm(`${path}/accept`, {}, { redirect: 'manual' });
  expect(res.headers.get('location')).toBe(`/hubs/${hubId}`);
  expect(await membership(fred.email)).toMatchObject({ role: 'admin' });
  expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'accepted' });
});

test('someone with an account who registers through the link is told to sign in; the account stays as it was', async () => {
  const gina = await createUser({ email: 'gina@partner.test', displayName: 'Gina' });
  const { path, id } = await sendInvite(stack.env, aliceClient, { email: gina.email, hubId });
  const client = new HttpClient(stack.env.baseUrl);
  await client.get(path);
  const res = await client.postForm(`${path}/register`, { displayName: 'Not Gina', password: 'another long password here' });
  expect(res.status).toBe(409);
  expect(client.lastHtml).toContain('There is already an Entrada account for gina@partner.test. Sign in with it to accept the invite.');
  expect(client.lastHtml).toContain(`next=${encodeURIComponent(path)}`);
  expect(await UserModel.findOne({ email: gina.email }).lean()).toMatchObject({ displayName: 'Gina' });
  await signedIn(stack.env.baseUrl, gina.email); // the old password still works
  expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'pending' });
});

test('signed in as someone else: refused with a clear page, audited, nothing applied', async () => {
  const { path, id } = await sendInvite(stack.env, aliceClient, { email: 'hank@partner.test', hubId });
  const mallory = await signedIn(stack.env.baseUrl, (await createUser({ email: 'mallory@partner.test' })).email);
  await mallory.get(path);
  expect(mallory.lastHtml).toContain('This invite is for someone else');
  expect(mallory.lastHtml).not.toContain('id="accept-invite"');

  const res = await mallory.postForm(`${path}/accept`, {});
  expect(res.status).toBe(403);
  expect(mallory.lastHtml).toContain('This invite is for hank@partner.test, but you are signed in as mallory@partner.test.');
  expect(await membership('mallory@partner.test')).toBeNull();
  expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'pending' });
  expect(await AuditEventModel.findOne({ action: 'invite.email_mismatch', 'target.id': id }).lean()).toMatchObject({
    outcome: 'denied',
    details: { invitedEmail: 'hank@partner.test', signedInEmail: 'mallory@partner.test' },
  });
});

test('two accepts racing: the invite is used once', async () => {
  const ivy = await createUser({ email: 'ivy@partner.test', displayName: 'Ivy' });
  const { path, id } = await sendInvite(stack.env, aliceClient, { email: ivy.email, hubId });
  const client = await signedIn(stack.env.baseUrl, ivy.email);
  await client.get(path);
  const results = await Promise.all([1, 2, 3, 4].map(() => client.postForm(`${path}/accept`, {}, { redirect: 'manual' })));
  expect(results.map((r) => r.status).sort()).toEqual([303, 410, 410, 410]);
  expect(await AuditEventModel.countDocuments({ action: 'invite.accepted', 'target.id': id })).toBe(1);
  expect(await HubMembershipModel.countDocuments({ hubId, userId: ivy.id })).toBe(1);
});

test('a contact invite with a file: both become contacts and the file is shared', async () => {
  const blob = await writeBlob(Readable.from([Buffer.from('quarterly numbers')]), {
    filename: 'q3.txt',
    contentType: 'text/plain',
    maxBytes: 1024,
  });
  const file = await uploadFile(alice, { receive: async () => ({ filename: 'q3.txt', contentType: 'text/plain', blob }) });
  const { path, email } = await sendInvite(stack.env, aliceClient, { email: 'jack@partner.test', fileId: file.id, asContact: true });
  expect(email.text).toContain('Alice Archer invited you to see the file "q3.txt" and connect with Alice Archer as contacts');

  const jack = new HttpClient(stack.env.baseUrl);
  await jack.get(path);
  const res = await jack.postForm(`${path}/register`, { displayName: 'Jack', password: PASSWORD }, { redirect: 'manual' });
  expect(res.headers.get('location')).toBe(`/files/${file.id}`);
  const jackUser = await UserModel.findOne({ email: 'jack@partner.test' }).lean();
  expect((await FileModel.findById(file.id).lean())!.sharedWith.map(String)).toEqual([String(jackUser!._id)]);
  expect(await ContactModel.findOne({ ownerId: alice.id, email: 'jack@partner.test' }).lean()).toMatchObject({
    contactUserId: jackUser!._id,
  });
  expect(await ContactModel.findOne({ ownerId: jackUser!._id, email: alice.email }).lean()).toMatchObject({ name: 'Alice Archer' });
});

test('an inviter who lost the right to add members cannot hand it out through an old invite', async () => {
  const bea = await createUser({ email: 'bea@partner.test', displayName: 'Bea' });
  await addMember(alice, hubId, bea.email, 'admin');
  const beaClient = await signedIn(stack.env.baseUrl, bea.email);
  const { path, id } = await sendInvite(stack.env, beaClient, { email: 'kai@partner.test', hubId });
  await changeRole(alice, hubId, bea.id, 'member');

  const kai = new HttpClient(stack.env.baseUrl);
  await kai.get(path);
  const res = await kai.postForm(`${path}/register`, { displayName: 'Kai', password: PASSWORD });
  expect(res.status).toBe(410);
  expect(kai.lastHtml).toContain('This invite can no longer be used: Only hub owners and admins can manage members.');
  expect(kai.lastHtml).toContain('id="ask-new-invite"');
  expect(await membership('kai@partner.test')).toBeNull();
  expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'revoked' });
  expect(
    await AuditEventModel.findOne({ action: 'invite.refused', 'target.id': id, 'details.reason': 'cannot-apply' }).lean(),
  ).toBeTruthy();
});

describe('an acceptance that fails half-way (the database goes away while the hub membership is written)', () => {
  const acceptAfterFailure = async (email: string, alsoFailRollback: boolean) => {
    const invitee = await createUser({ email });
    const { path, id } = await sendInvite(stack.env, aliceClient, { email, hubId });
    const client = await signedIn(stack.env.baseUrl, email);
    await client.get(path);
    failNextCall(HubMembershipModel, 'create');
    if (alsoFailRollback) failNextQuery(InviteModel, 'updateOne');
    const res = await client.postForm(`${path}/accept`, {}, { redirect: 'manual' });
    return { invitee, id, path, client, res };
  };

  test('gives the invite back: the person is told to try again, and the retry works', async () => {
    const { id, path, client, res } = await acceptAfterFailure('lou@partner.test', false);
    expect(res.status).toBe(503);
    expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'pending' });
    expect((await client.postForm(`${path}/accept`, {}, { redirect: 'manual' })).headers.get('location')).toBe(`/hubs/${hubId}`);
    expect(await membership('lou@partner.test')).toMatchObject({ role: 'member' });
  });

  test('when giving it back fails too, the invite left "accepted" with nothing applied is audited, not ignored', async () => {
    const { invitee, id, res } = await acceptAfterFailure('max@partner.test', true);
    expect(res.status).toBe(503);
    expect(await membership('max@partner.test')).toBeNull();
    expect(await InviteModel.findById(id).lean()).toMatchObject({ status: 'accepted' });
    const stuck = await AuditEventModel.findOne({ action: 'invite.accept-rollback-failed', 'target.id': id }).lean();
    expect(stuck).toMatchObject({ outcome: 'failure', actor: { userId: invitee.id } });
    expect(stuck!.details).toMatchObject({
      failure: expect.stringContaining('injected fault'),
      rollback: expect.stringContaining('injected fault'),
    });
  });
});
