import { beforeAll, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { AuditEventModel, EmailLogModel, InviteModel } from '../../lib/models';
import { addMember } from '../../lib/collab/hub-members';
import { Inbox } from '../../scripts/lib/inbox';
import { HttpClient } from '../support/http-client';
import { aliceWithHub, type Inviter, liveTenant } from './support';
import { createUser, signedIn, withCsrf } from '../support/people';
import { useStack } from '../support/stack';

/** Sending invites: which link kind, what the email says, re-sending, and bad input. */

const stack = useStack();
let alice: Inviter['alice'];
let client: HttpClient;
let hubId: string;

beforeAll(async () => {
  ({ alice, hubId, client } = await aliceWithHub(stack.env.baseUrl));
  await liveTenant({ name: 'Contoso', domains: ['contoso.test'] });
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const tokenOf = (link: string) => link.split('/').pop()!;
const latestTo = (email: string) => stack.env.inbox.to(email).at(-1)!;

describe('the link kind follows the invitee’s domain', () => {
  test('an email outside nominated domains gets a standard link, and the email says so', async () => {
    await client.get(`/invites/new?hubId=${hubId}`);
    const res = await client.postForm('/invites', { email: 'erin@partner.test', hubId, hubRole: 'member' }, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/invites?notice=sent');

    const email = await stack.env.inbox.waitFor((m) => m.to.includes('erin@partner.test'));
    expect(email.subject).toBe('Alice Archer invited you to Entrada');
    const link = Inbox.link(email, '/invite/');
    expect(new URL(link).pathname).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(email.text).toContain('Alice Archer invited you to join the hub "Launch"');
    expect(email.text).toContain(
      'This is a standard invite link: it lets you create an Entrada account with this email address and a password',
    );
    expect(email.text).not.toContain('Entra ID');
    expect(email.html).toContain(`href="${link}"`);
    expect(email.html).toContain('This is a standard invite link');

    const invite = await InviteModel.findOne({ email: 'erin@partner.test' }).lean();
    expect(invite).toMatchObject({ kind: 'standard', status: 'pending', hubRole: 'member' });
    expect(invite!.tenantId).toBeUndefined();
    // Only the hash is stored: the token itself is nowhere in the database document.
    expect(invite!.tokenHash).toBe(sha256(tokenOf(link)));
    expect(JSON.stringify(invite)).not.toContain(tokenOf(link));
    const ttl = invite!.expiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(13.9 * 86400_000);
    expect(ttl).toBeLessThanOrEqual(14 * 86400_000);
  });

  test('an email in a domain nominated by a live tenant gets a corporate link that says why', async () => {
    const { status, body } = await client.api('POST', '/api/invites', { email: 'Bob.Baker@CONTOSO.test', hubId });
    expect(status).toBe(201);
    expect(body.invite).toMatchObject({
      email: 'bob.baker@contoso.test',
      kind: 'corporate',
      status: 'pending',
      hub: { id: hubId, name: 'Launch' },
    });

    const email = await stack.env.inbox.waitFor((m) => m.to.includes('bob.baker@contoso.test'));
    const link = Inbox.link(email, '/corporateregistration/');
    expect(new URL(link).pathname).toMatch(/^\/corporateregistration\/[A-Za-z0-9_-]{43}$/);
    expect(email.text).not.toContain('/invite/');
    const why = 'Your organisation Contoso signs in with Microsoft Entra ID, so this link takes you to your company sign-in.';
    expect(email.text).toContain(why);
    expect(email.html).toContain(why);
    expect(email.text).toContain(`Continue with Contoso sign-in: ${link}`);

    const audited = await AuditEventModel.findOne({ action: 'invite.created', 'target.id': body.invite.id }).lean();
    expect(audited).toMatchObject({
      outcome: 'success',
      actor: { userId: alice.id },
      details: { email: 'bob.baker@contoso.test', kind: 'corporate' },
    });
    expect(audited!.tenantId).toBeTruthy();
  });

  test('a domain claimed by a tenant that is not live yet still gets a standard link', async () => {
    await liveTenant({ name: 'Fabrikam', domains: ['fabrikam.test'] });
    const { TenantModel } = await import('../../lib/models');
    await TenantModel.updateOne({ name: 'Fabrikam' }, { $set: { stage: 'testing' } });
    const { body } = await client.api('POST', '/api/invites', { email: 'fay@fabrikam.test', asContact: true });
    expect(body.invite.kind).toBe('standard');
    Inbox.link(await stack.env.inbox.waitFor((m) => m.to.includes('fay@fabrikam.test')), '/invite/');
  });
});

test('inviting the same email to the same hub again re-sends the invite with a new link; the old link dies', async () => {
  const first = await client.api('POST', '/api/invites', { email: 'gus@partner.test', hubId });
  const oldLink = Inbox.link(await stack.env.inbox.waitFor((m) => m.to.includes('gus@partner.test')), '/invite/');
  const again = await client.api('POST', '/api/invites', { email: 'GUS@partner.test', hubId });
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ resent: true, invite: { id: first.body.invite.id } });
  expect(await InviteModel.countDocuments({ email: 'gus@partner.test' })).toBe(1);

  await stack.env.inbox.waitFor(() => stack.env.inbox.to('gus@partner.test').length === 2);
  const newLink = Inbox.link(latestTo('gus@partner.test'), '/invite/');
  expect(newLink).not.toBe(oldLink);
  expect((await client.get(new URL(oldLink).pathname)).status).toBe(404);
  expect(client.lastHtml).toContain('This invite link is not valid');
  expect((await client.get(new URL(newLink).pathname)).status).toBe(200);
  expect(await AuditEventModel.countDocuments({ action: 'invite.resent', 'target.id': first.body.invite.id })).toBe(1);

  // Through the form, the inviter is told it was a re-send.
  await client.get(`/invites/new?hubId=${hubId}`);
  const res = await client.postForm('/invites', { email: 'gus@partner.test', hubId, hubRole: 'member' });
  expect(res.status).toBe(200);
  expect(client.lastHtml).toContain('it was sent again with a new link');
});

test('two identical invites sent at the same moment make one invite', async () => {
  const results = await Promise.all([1, 2, 3].map(() => client.api('POST', '/api/invites', { email: 'hal@partner.test', hubId })));
  expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
  expect(new Set(results.map((r) => r.body.invite.id)).size).toBe(1);
  expect(await InviteModel.countDocuments({ email: 'hal@partner.test' })).toBe(1);
});

describe('bad input: a clear error, and nothing created or sent', () => {
  let bea: Awaited<ReturnType<typeof createUser>>;
  let beaClient: HttpClient;
  beforeAll(async () => {
    bea = await createUser({ email: 'bea@partner.test', displayName: 'Bea' });
    await addMember(alice, hubId, bea.email, 'admin');
    beaClient = await signedIn(stack.env.baseUrl, bea.email);
  });

  const cases: Array<{ name: string; who: () => HttpClient; body: () => Record<string, unknown>; status: number; message: RegExp }> = [
    {
      name: 'malformed email',
      who: () => client,
      body: () => ({ email: 'not-an-email', hubId }),
      status: 400,
      message: /Enter a valid email address/,
    },
    {
      name: 'email without domain',
      who: () => client,
      body: () => ({ email: 'someone@', hubId }),
      status: 400,
      message: /Enter a valid email address/,
    },
    { name: 'no email', who: () => client, body: () => ({ hubId }), status: 400, message: /email/i },
    {
      name: 'self-invite (any case)',
      who: () => client,
      body: () => ({ email: 'ALICE@alice-corp.test', hubId }),
      status: 400,
      message: /cannot invite yourself/,
    },
    {
      name: 'nothing to invite to',
      who: () => client,
      body: () => ({ email: 'ivy@partner.test' }),
      status: 400,
      message: /Choose what to invite them to/,
    },
    {
      name: 'unknown role',
      who: () => client,
      body: () => ({ email: 'ivy@partner.test', hubId, hubRole: 'owner' }),
      status: 400,
      message: /"member" or "admin"/,
    },
    {
      name: 'malformed hub ID',
      who: () => client,
      body: () => ({ email: 'ivy@partner.test', hubId: 'nope' }),
      status: 404,
      message: /Hub not found/,
    },
    {
      name: 'a hub of someone else',
      who: () => client,
      body: () => ({ email: 'ivy@partner.test', hubId: '65a000000000000000000000' }),
      status: 404,
      message: /Hub not found/,
    },
    {
      name: 'an admin inviting an admin',
      who: () => beaClient,
      body: () => ({ email: 'ivy@partner.test', hubId, hubRole: 'admin' }),
      status: 403,
      message: /Only hub owners can invite admins/,
    },
    {
      name: 'a file that is not theirs',
      who: () => beaClient,
      body: () => ({ email: 'ivy@partner.test', fileId: '65a000000000000000000001' }),
      status: 404,
      message: /File not found/,
    },
    {
      name: 'someone already in the hub',
      who: () => client,
      body: () => ({ email: 'bea@partner.test', hubId }),
      status: 409,
      message: /already a member of the hub "Launch"/,
    },
  ];

  test.each(cases)('$name', async ({ who, body, status, message }) => {
    const [invites, emails] = await Promise.all([InviteModel.countDocuments(), EmailLogModel.countDocuments()]);
    const res = await who().api('POST', '/api/invites', body());
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(await InviteModel.countDocuments()).toBe(invites);
    expect(await EmailLogModel.countDocuments()).toBe(emails);
  });

  test('the form shows the problem where it was made', async () => {
    await client.get('/invites/new');
    const res = await client.postForm('/invites', { email: 'alice@alice-corp.test', asContact: '1' });
    expect(res.status).toBe(400);
    expect(client.lastHtml).toContain('You cannot invite yourself');
    expect(client.lastHtml).toContain('value="alice@alice-corp.test"');
  });

  test('a prefilled file that is not available any more is pointed out, not an error page', async () => {
    expect((await client.get('/invites/new?email=x%40partner.test&fileId=65a000000000000000000001')).status).toBe(200);
    expect(client.lastHtml).toContain('The file from the link is no longer available to you, so the invite will not include it.');
    expect(client.lastHtml).not.toContain('name="fileId"');
  });

  test('the self-invite refusal is audited', async () => {
    expect(await AuditEventModel.findOne({ action: 'invite.refused', 'details.reason': 'self-invite' }).lean()).toMatchObject({
      outcome: 'failure',
      actor: { userId: alice.id },
    });
  });

  test('without signing in there is no API', async () => {
    const anonymous = await withCsrf(new HttpClient(stack.env.baseUrl));
    const res = await anonymous.api('POST', '/api/invites', { email: 'x@partner.test', asContact: true });
    expect(res.status).toBe(401);
  });
});

test('the inviter lists and revokes; nobody else can, and a revoked link says it was withdrawn', async () => {
  const { body } = await client.api('POST', '/api/invites', { email: 'jo@partner.test', asContact: true });
  const link = Inbox.link(await stack.env.inbox.waitFor((m) => m.to.includes('jo@partner.test')), '/invite/');
  const list = await client.api('GET', '/api/invites');
  expect(list.body.invites.find((i: { id: string }) => i.id === body.invite.id)).toMatchObject({
    email: 'jo@partner.test',
    status: 'pending',
    kind: 'standard',
    asContact: true,
  });

  const mallory = await signedIn(stack.env.baseUrl, (await createUser({ email: 'mallory@partner.test' })).email);
  expect((await mallory.api('DELETE', `/api/invites/${body.invite.id}`)).status).toBe(404);
  expect((await mallory.api('GET', '/api/invites')).body.invites).toEqual([]);

  const revoked = await client.api('DELETE', `/api/invites/${body.invite.id}`);
  expect(revoked).toMatchObject({ status: 200, body: { invite: { status: 'revoked' } } });
  expect((await client.api('DELETE', `/api/invites/${body.invite.id}`)).status).toBe(409);
  expect(await AuditEventModel.countDocuments({ action: 'invite.revoked', 'target.id': body.invite.id })).toBe(1);

  expect((await mallory.get(new URL(link).pathname)).status).toBe(410);
  expect(mallory.lastHtml).toContain('Alice Archer withdrew this invite.');

  // The pages: list shows it revoked; revoking through the page works the same way.
  const other = await client.api('POST', '/api/invites', { email: 'kim@partner.test', asContact: true });
  await client.get('/invites');
  expect(client.lastHtml).toMatch(new RegExp(`data-invite="${body.invite.id}"[\\s\\S]*?Revoked`));
  const res = await client.postForm(`/invites/${other.body.invite.id}/revoke`, {});
  expect(res.status).toBe(200);
  expect(client.lastHtml).toContain('Invite revoked: its link no longer works.');
});
