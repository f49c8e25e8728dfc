import { beforeAll, expect, test } from 'vitest';
import { UserModel } from '../../lib/models';
import { apiUpload, download, person, randomFile, sha256, type TestPerson } from './support';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

/**
 * A standard user and a real SSO user (provisioned by a signed SAML sign-in at the Entra
 * emulator) share files and a hub over HTTP: authorization is the app's, the IdP has no say.
 */

const stack = useStack({ entra: true, workers: true });
let contoso: SsoTenant;
let ada: TestPerson;
let carol: SsoBrowser;

beforeAll(async () => {
  contoso = await connectTenant(stack, { domains: ['contoso.example'] });
  contoso.emulated.addUser({ email: 'carol@contoso.example', displayName: 'Carol Contoso' });
  ada = await person(stack.env.baseUrl, 'ada@example.test');
  carol = new SsoBrowser(stack.env, contoso);
  expect((await carol.signIn('carol@contoso.example', '/files')).status).toBe(303);
  expect(await carol.whoAmI()).toBe('carol@contoso.example');
  await carol.http.get('/files'); // picks up the session's CSRF token
});

test('a standard user shares with a signed-in SSO user, who downloads the bytes; and the other way round', async () => {
  const carolUser = await UserModel.findOne({ email: 'carol@contoso.example' }).lean();
  expect(carolUser).toMatchObject({ kind: 'sso', tenantId: contoso.tenantId });

  const bytes = randomFile(120_000);
  const { body } = await apiUpload(ada.http, bytes, 'contract.pdf', { type: 'application/pdf' });
  expect((await carol.http.api('GET', `/api/files/${body.file.id}`)).status).toBe(404);
  const share = await ada.http.api('POST', `/api/files/${body.file.id}/shares`, { email: 'carol@contoso.example' });
  expect(share.body.share).toMatchObject({ kind: 'sso', id: String(carolUser!._id) });

  await carol.http.get('/files');
  expect(carol.http.lastHtml).toContain('contract.pdf');
  expect(sha256((await download(carol.http, body.file.id)).bytes)).toBe(sha256(bytes));

  const back = randomFile(3000);
  const theirs = await apiUpload(carol.http, back, 'signed.pdf');
  expect(theirs.status).toBe(201);
  expect((await carol.http.api('POST', `/api/files/${theirs.body.file.id}/shares`, { email: ada.email })).status).toBe(201);
  expect(sha256((await download(ada.http, theirs.body.file.id)).bytes)).toBe(sha256(back));
});

test('an SSO user in a standard user’s hub has exactly a member’s rights', async () => {
  const hub = (await ada.http.api('POST', '/api/hubs', { name: 'Mixed' })).body.hub;
  expect((await ada.http.api('POST', `/api/hubs/${hub.id}/members`, { email: 'carol@contoso.example' })).status).toBe(201);
  expect((await carol.http.api('POST', `/api/hubs/${hub.id}/messages`, { body: 'Hi from Contoso' })).status).toBe(201);
  const mine = await apiUpload(ada.http, randomFile(10), 'agenda.txt', { hubId: hub.id });
  expect((await download(carol.http, mine.body.file.id)).res.status).toBe(200);
  expect((await carol.http.api('DELETE', `/api/files/${mine.body.file.id}`)).status).toBe(403);
  expect((await carol.http.api('POST', `/api/hubs/${hub.id}/members`, { email: ada.email, role: 'member' })).status).toBe(403);
});
