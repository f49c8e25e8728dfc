import { beforeAll, expect, test } from 'vitest';
import { HttpClient } from '../support/http-client';
import { sendInvite, ssoThroughEmulator } from './support';
import { createUser, PASSWORD, signedIn, withCsrf } from '../support/people';
import { connectTenant, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

/**
 * SSO and standard users in one hub, everyone joined through invites over HTTP: both kinds
 * upload, share and see each other's files; what they may change follows hub roles and
 * sharing, never the identity provider.
 */

const stack = useStack({ entra: true, workers: true });
let contoso: SsoTenant;
let carol: HttpClient; // SSO (Contoso), hub owner
let dave: HttpClient; // SSO (Contoso), invited as admin: corporate link
let erin: HttpClient; // external, invited as member: standard link
let hubId: string;

/** Through the invite in `to`'s inbox, by the link kind the email carries. */
async function join(invite: Awaited<ReturnType<typeof sendInvite>>, who: { email: string; name: string }): Promise<HttpClient> {
  const client = new HttpClient(stack.env.baseUrl);
  await client.get(invite.path);
  if (invite.path.startsWith('/corporateregistration/')) {
    const sso = client.lastHtml.match(/id="continue-sso" href="([^"]+)"/)![1].replace(/&amp;/g, '&');
    expect((await ssoThroughEmulator(client, sso, who.email)).status).toBe(303);
    expect((await client.get(`${invite.path}/complete`, { redirect: 'manual' })).headers.get('location')).toBe(`/hubs/${hubId}`);
  } else {
    const res = await client.postForm(`${invite.path}/register`, { displayName: who.name, password: PASSWORD }, { redirect: 'manual' });
    expect(res.headers.get('location')).toBe(`/hubs/${hubId}`);
  }
  return withCsrf(client);
}

async function upload(client: HttpClient, name: string, content: string, hub?: string) {
  const form = new FormData();
  form.append('file', new Blob([content], { type: 'text/plain' }), name);
  const res = await client.request('POST', `/api/files${hub ? `?hubId=${hub}` : ''}`, {
    body: form,
    headers: { accept: 'application/json', 'x-csrf-token': client.csrf },
    redirect: 'manual',
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { file: { id: string; name: string } }).file;
}

const content = async (client: HttpClient, fileId: string) => {
  const res = await client.get(`/api/files/${fileId}/content`);
  return { status: res.status, text: res.status === 200 ? await res.text() : undefined };
};
const hubFileNames = async (client: HttpClient) =>
  ((await client.api('GET', `/api/hubs/${hubId}/files`)).body.files as { name: string }[]).map((f) => f.name).sort();

beforeAll(async () => {
  contoso = await connectTenant(stack, { name: 'Contoso', domains: ['contoso.test'] });
  contoso.emulated.addUser({ email: 'carol@contoso.test', displayName: 'Carol Chen' });
  contoso.emulated.addUser({ email: 'dave@contoso.test', displayName: 'Dave Diaz' });

  carol = new HttpClient(stack.env.baseUrl);
  expect(
    (await ssoThroughEmulator(carol, `/saml/${contoso.tenantId}/login?relayState=/hubs`, 'carol@contoso.test')).headers.get('location'),
  ).toBe('/hubs');
  await withCsrf(carol);
  hubId = (await carol.api('POST', '/api/hubs', { name: 'Joint venture' })).body.hub.id;

  const toErin = await sendInvite(stack.env, carol, { email: 'erin@partner.test', hubId, hubRole: 'member' });
  const toDave = await sendInvite(stack.env, carol, { email: 'dave@contoso.test', hubId, hubRole: 'admin' });
  expect(toErin.path).toMatch(/^\/invite\//);
  expect(toDave.path).toMatch(/^\/corporateregistration\//);
  erin = await join(toErin, { email: 'erin@partner.test', name: 'Erin External' });
  dave = await join(toDave, { email: 'dave@contoso.test', name: 'Dave Diaz' });
});

test('the hub has an SSO owner, an SSO admin and a standard member', async () => {
  const members = (await erin.api('GET', `/api/hubs/${hubId}/members`)).body.members as { email: string; role: string; kind: string }[];
  expect(members.map((m) => [m.email, m.role, m.kind])).toEqual([
    ['carol@contoso.test', 'owner', 'sso'],
    ['dave@contoso.test', 'admin', 'sso'],
    ['erin@partner.test', 'member', 'standard'],
  ]);
});

test('SSO and standard members upload to the hub and read each other’s files', async () => {
  const plan = await upload(carol, 'plan.txt', 'the plan, by Carol (SSO)', hubId);
  const notes = await upload(erin, 'notes.txt', 'notes, by Erin (password)', hubId);
  for (const client of [carol, dave, erin]) {
    expect(await hubFileNames(client)).toEqual(['notes.txt', 'plan.txt']);
    expect(await content(client, plan.id)).toEqual({ status: 200, text: 'the plan, by Carol (SSO)' });
    expect(await content(client, notes.id)).toEqual({ status: 200, text: 'notes, by Erin (password)' });
  }
});

test('changing files follows hub roles: a member cannot touch others’ files, an admin can', async () => {
  const report = await upload(carol, 'report.txt', 'report', hubId);
  const draft = await upload(erin, 'draft.txt', 'draft', hubId);
  expect((await erin.api('PATCH', `/api/files/${report.id}`, { name: 'mine now.txt' })).status).toBe(403);
  expect((await erin.api('DELETE', `/api/files/${report.id}`)).status).toBe(403);
  expect((await dave.api('PATCH', `/api/files/${draft.id}`, { name: 'draft (reviewed).txt' })).status).toBe(200);
  expect((await erin.api('PATCH', `/api/files/${draft.id}`, { name: 'draft v2.txt' })).status).toBe(200); // still the owner
  expect((await dave.api('DELETE', `/api/files/${draft.id}`)).status).toBe(204);
  expect(await hubFileNames(erin)).not.toContain('draft v2.txt');
  // Only a file's owner shares it individually, whatever their identity provider or hub role.
  expect((await dave.api('POST', `/api/files/${report.id}/shares`, { email: 'erin@partner.test' })).status).toBe(403);
});

test('personal files shared across the two kinds of account, and only with whom they are shared', async () => {
  const fromErin = await upload(erin, 'for-carol.txt', 'Erin to Carol');
  const fromCarol = await upload(carol, 'for-erin.txt', 'Carol to Erin');
  expect((await erin.api('POST', `/api/files/${fromErin.id}/shares`, { email: 'carol@contoso.test' })).status).toBe(201);
  expect((await carol.api('POST', `/api/files/${fromCarol.id}/shares`, { email: 'erin@partner.test' })).status).toBe(201);

  const sharedWith = async (client: HttpClient) =>
    ((await client.api('GET', '/api/files')).body.shared as { name: string }[]).map((f) => f.name);
  expect(await sharedWith(carol)).toEqual(['for-carol.txt']);
  expect(await sharedWith(erin)).toEqual(['for-erin.txt']);
  expect(await content(carol, fromErin.id)).toEqual({ status: 200, text: 'Erin to Carol' });
  expect(await content(erin, fromCarol.id)).toEqual({ status: 200, text: 'Carol to Erin' });
  // Dave is in the hub, and in Carol's tenant, but neither file is shared with him.
  expect((await content(dave, fromErin.id)).status).toBe(404);
  expect((await content(dave, fromCarol.id)).status).toBe(404);
});

test('someone outside the hub sees none of it', async () => {
  const olly = await signedIn(stack.env.baseUrl, (await createUser({ email: 'olly@partner.test' })).email);
  expect((await olly.api('GET', `/api/hubs/${hubId}/files`)).status).toBe(404);
  expect((await olly.api('GET', '/api/files')).body).toEqual({ owned: [], shared: [] });
});
