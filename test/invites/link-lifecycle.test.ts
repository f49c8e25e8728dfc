import { beforeAll, describe, expect, test } from 'vitest';
import { AuditEventModel, EmailLogModel, HubMembershipModel, InviteModel, UserModel } from '../../lib/models';
import { parseConfig } from '../../lib/config';
import { sendInvite as sendInviteService } from '../../lib/invites/send';
import { HttpClient } from '../support/http-client';
import { Inbox } from '../../scripts/lib/inbox';
import { aliceWithHub, sendInvite } from './support';
import { createUser, PASSWORD, signedIn, withCsrf } from '../support/people';
import { useStack } from '../support/stack';

/** Tokens: expiring, single use, revocable, tamper-evident; a dead link offers to ask for a new one. */

const stack = useStack();
let aliceClient: HttpClient;
let hubId: string;

beforeAll(async () => {
  ({ hubId, client: aliceClient } = await aliceWithHub(stack.env.baseUrl));
});

const register = (client: HttpClient, path: string) =>
  client.postForm(`${path}/register`, { displayName: 'Someone', password: PASSWORD }, { redirect: 'manual' });
const expire = (id: string) => InviteModel.updateOne({ _id: id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });

describe('a dead link: clear page, nothing created, audited', () => {
  test('expired', async () => {
    const { id, path } = await sendInvite(stack.env, aliceClient, { email: 'exp@partner.test', hubId });
    await expire(id);
    const client = new HttpClient(stack.env.baseUrl);
    expect((await client.get(path)).status).toBe(410);
    expect(client.lastHtml).toContain('Invite expired');
    expect(client.lastHtml).toMatch(/This invite expired on \d{4}-\d{2}-\d{2}\./);
    expect(client.lastHtml).toContain('Ask Alice Archer for a new invite');
    expect((await register(client, path)).status).toBe(410);
    expect(await UserModel.exists({ email: 'exp@partner.test' })).toBeNull();
    expect(await AuditEventModel.countDocuments({ action: 'invite.refused', 'target.id': id, 'details.reason': 'expired' })).toBe(2);
  });

  test('already used', async () => {
    const { id, path } = await sendInvite(stack.env, aliceClient, { email: 'used@partner.test', hubId });
    const first = new HttpClient(stack.env.baseUrl);
    await first.get(path);
    expect((await register(first, path)).status).toBe(303);

    const second = new HttpClient(stack.env.baseUrl);
    expect((await second.get(path)).status).toBe(410);
    expect(second.lastHtml).toContain('This invite was already used.');
    const user = await UserModel.findOne({ email: 'used@partner.test' }).lean();
    const signedInAgain = await signedIn(stack.env.baseUrl, 'used@partner.test');
    await signedInAgain.get(path);
    expect((await signedInAgain.postForm(`${path}/accept`, {})).status).toBe(410);
    expect(await HubMembershipModel.countDocuments({ hubId, userId: user!._id })).toBe(1);
    expect(await AuditEventModel.countDocuments({ action: 'invite.accepted', 'target.id': id })).toBe(1);
  });

  test('revoked by the inviter', async () => {
    const { id, path } = await sendInvite(stack.env, aliceClient, { email: 'rev@partner.test', hubId });
    expect((await aliceClient.api('DELETE', `/api/invites/${id}`)).status).toBe(200);
    const client = new HttpClient(stack.env.baseUrl);
    expect((await client.get(path)).status).toBe(410);
    expect(client.lastHtml).toContain('Alice Archer withdrew this invite.');
    expect((await register(client, path)).status).toBe(410);
    expect(await UserModel.exists({ email: 'rev@partner.test' })).toBeNull();
  });

  const tampered: Array<[string, (token: string) => string]> = [
    ['one character changed', (t) => t.slice(0, 10) + (t[10] === 'A' ? 'B' : 'A') + t.slice(11)],
    ['cut short', (t) => t.slice(0, 30)],
    ['padded', (t) => `${t}AA`],
    ['not base64url', (t) => `${t.slice(0, 42)}%21`],
    ['the invite ID instead of the token', () => '65a000000000000000000000'],
  ];
  test.each(tampered)('tampered token: %s', async (_name, tamper) => {
    const { token } = await sendInvite(stack.env, aliceClient, { email: `tamper-${_name.length}@partner.test`, hubId });
    const bad = tamper(token);
    const client = await withCsrf(new HttpClient(stack.env.baseUrl));
    const audits = await AuditEventModel.countDocuments({ action: 'invite.refused', 'details.reason': 'invalid' });
    expect((await client.get(`/invite/${bad}`)).status).toBe(404);
    expect(client.lastHtml).toContain('This invite link is not valid.');
    expect(client.lastHtml).not.toContain('ask-new-invite');
    expect((await client.get(`/corporateregistration/${bad}`)).status).toBe(404);
    expect((await register(client, `/invite/${bad}`)).status).toBe(404);
    const renew = await client.postForm(`/invite/${bad}/renew`, {});
    expect(renew.status).toBe(400);
    expect(await UserModel.exists({ email: `tamper-${_name.length}@partner.test` })).toBeNull();
    expect(await AuditEventModel.countDocuments({ action: 'invite.refused', 'details.reason': 'invalid' })).toBe(audits + 4);
  });
});

test('asking for a new invite emails the inviter once, with the form filled in; re-sending makes a working link', async () => {
  const { id, path } = await sendInvite(stack.env, aliceClient, { email: 'late@partner.test', hubId, hubRole: 'member' });
  await expire(id);
  const late = new HttpClient(stack.env.baseUrl);
  await late.get(path);
  const res = await late.postForm(`${path}/renew`, {});
  expect(res.status).toBe(200);
  expect(late.lastHtml).toContain('We emailed Alice Archer that you would like a new invite.');

  const asked = await stack.env.inbox.waitFor(
    (m) => m.to.includes('alice@alice-corp.test') && m.subject === 'late@partner.test asked for a new invite',
  );
  expect(asked.text).toContain('late@partner.test opened your invite to join the hub "Launch", but the link had expired.');
  const formLink = Inbox.link(asked, '/invites/new');
  expect(new URL(formLink).searchParams.get('email')).toBe('late@partner.test');
  expect(new URL(formLink).searchParams.get('hubId')).toBe(hubId);
  expect(await AuditEventModel.findOne({ action: 'invite.renewal_requested', 'target.id': id }).lean()).toMatchObject({
    details: { reason: 'expired', emailed: true },
  });

  // Pressing again does not spam the inviter.
  await late.postForm(`${path}/renew`, {});
  expect(await EmailLogModel.countDocuments({ template: 'invite-renewal', to: 'alice@alice-corp.test' })).toBe(1);

  // The inviter follows the email: the form is filled in, and sending re-sends the same invite.
  await aliceClient.get(new URL(formLink).pathname + new URL(formLink).search);
  expect(aliceClient.lastHtml).toContain('value="late@partner.test"');
  expect(aliceClient.lastHtml).toMatch(new RegExp(`<option value="${hubId}" selected>`));
  const again = await sendInvite(stack.env, aliceClient, { email: 'late@partner.test', hubId, hubRole: 'member' });
  expect(again.id).toBe(id);
  const fresh = new HttpClient(stack.env.baseUrl);
  expect((await fresh.get(again.path)).status).toBe(200);
  expect((await register(fresh, again.path)).headers.get('location')).toBe(`/hubs/${hubId}`);

  // A still-valid link has nothing to renew.
  const valid = await sendInvite(stack.env, aliceClient, { email: 'early@partner.test', hubId });
  const early = new HttpClient(stack.env.baseUrl);
  await early.get(valid.path);
  expect((await early.postForm(`${valid.path}/renew`, {})).status).toBe(400);
});

test('the lifetime comes from INVITE_TTL', async () => {
  const bob = await createUser({ email: 'bob@alice-corp.test', displayName: 'Bob' });
  const config = { ...stack.env.config, INVITE_TTL: parseConfig({ INVITE_TTL: '2h' }).INVITE_TTL };
  const { invite } = await sendInviteService(bob, { email: 'ttl@partner.test', asContact: true }, { config, mailer: stack.env.mailer });
  const left = invite.expiresAt.getTime() - Date.now();
  expect(left).toBeGreaterThan(119 * 60_000);
  expect(left).toBeLessThanOrEqual(120 * 60_000);
  const email = await stack.env.inbox.waitFor((m) => m.to.includes('ttl@partner.test'));
  expect(email.text).toContain(`until ${invite.expiresAt.toISOString().slice(0, 10)}`);
});
