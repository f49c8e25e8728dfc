import { inflateRawSync } from 'node:zlib';
import { beforeAll, expect, test } from 'vitest';
import { AuditEventModel, SsoIdentityModel, UserModel } from '../../lib/models';
import { accountSnapshot, lastRejection } from './support';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ entra: true, workers: true });
let live: SsoTenant;

beforeAll(async () => {
  live = await connectTenant(stack, { domains: ['contoso.example'] });
});

test('a first SSO sign-in with no account creates an SSO user from the claims, bound to the object ID', async () => {
  const alice = live.emulated.addUser({
    email: 'alice@contoso.example',
    displayName: 'Alice Liddell',
    givenName: 'Alice',
    surname: 'Liddell',
  });
  const browser = new SsoBrowser(stack.env, live);

  const res = await browser.signIn('alice@contoso.example', '/files');
  expect(res.status, await res.clone().text()).toBe(303);
  expect(res.headers.get('location')).toBe('/files');
  expect(await browser.whoAmI()).toBe('alice@contoso.example');

  const user = await UserModel.findOne({ email: 'alice@contoso.example' }).lean();
  expect(user).toMatchObject({
    kind: 'sso',
    status: 'active',
    tenantId: live.tenantId,
    displayName: 'Alice Liddell',
    givenName: 'Alice',
    surname: 'Liddell',
  });
  expect(user?.passwordHash).toBeUndefined();
  const identity = await SsoIdentityModel.findOne({ tenantId: live.tenantId, objectId: alice.objectId }).lean();
  expect(String(identity?.userId)).toBe(String(user?._id));
  // The user carries its identity's sign-in time, for the portal's user list (written in the create).
  expect(user?.lastSignInAt?.toISOString()).toBe(identity?.lastLoginAt?.toISOString());
  expect(user?.lastSignInAt).toBeInstanceOf(Date);
  expect(await AuditEventModel.countDocuments({ action: 'sso.user-provisioned', 'target.id': String(user?._id) })).toBe(1);
  expect(await AuditEventModel.countDocuments({ action: 'sso.signed-in', 'target.id': String(user?._id) })).toBe(1);
});

test('the second sign-in finds the same account by object ID, even after the email changed in Entra', async () => {
  const bob = live.emulated.addUser({ email: 'bob@contoso.example' });
  await new SsoBrowser(stack.env, live).signIn('bob@contoso.example');
  const first = await UserModel.findOne({ email: 'bob@contoso.example' }).lean();

  // Entra renames the user; the object ID stays. Email only mattered at first contact.
  live.emulated.removeUser('bob@contoso.example');
  live.emulated.addUser({ email: 'robert@contoso.example', objectId: bob.objectId });
  const again = new SsoBrowser(stack.env, live);
  expect((await again.signIn('robert@contoso.example')).status).toBe(303);
  expect(await again.whoAmI()).toBe('bob@contoso.example');
  expect(await UserModel.countDocuments({ email: /robert/ })).toBe(0);
  expect(String((await UserModel.findOne({ email: 'bob@contoso.example' }).lean())?._id)).toBe(String(first?._id));
});

test('RelayState is only followed to a same-site path', async () => {
  live.emulated.addUser({ email: 'carol@contoso.example' });
  for (const evil of ['https://evil.example/x', '//evil.example', '/\\evil.example', '/\t/evil.example']) {
    const browser = new SsoBrowser(stack.env, live);
    const { requestId } = await browser.startLogin();
    const res = await browser.postAcs(browser.issue('carol@contoso.example', { inResponseTo: requestId }).samlResponse, evil);
    expect(res.status).toBe(303);
    expect(res.headers.get('location'), evil).toBe('/');
  }
  // ...and the login endpoint never forwards a foreign relay state to Entra either.
  const { relayState } = await new SsoBrowser(stack.env, live).startLogin('https://evil.example/');
  expect(relayState).toBe('/');
});

test('a tenant still being configured cannot sign anyone in, and nothing is created', async () => {
  const configuring = await connectTenant(stack, { name: 'Fabrikam', stage: 'configuring', domains: ['fabrikam.example'] });
  configuring.emulated.addUser({ email: 'dan@fabrikam.example' });
  const login = await new SsoBrowser(stack.env, configuring).http.get(`/saml/${configuring.tenantId}/login`, { redirect: 'manual' });
  expect(login.status).toBe(404);

  const before = await accountSnapshot();
  const browser = new SsoBrowser(stack.env, configuring);
  const res = await browser.postAcs(browser.issue('dan@fabrikam.example').samlResponse);
  expect(res.status).toBe(403);
  expect((await lastRejection())?.reason).toBe('tenant-not-enabled');
  expect(await accountSnapshot()).toEqual(before);
});

test('SP metadata names the per-tenant entity ID, ACS and logout URL', async () => {
  const res = await fetch(`${stack.env.baseUrl}/saml/${live.tenantId}/metadata`);
  expect(res.status).toBe(200);
  const xml = await res.text();
  expect(xml).toContain(`entityID="${stack.env.baseUrl}/saml/${live.tenantId}"`);
  expect(xml).toContain(`Location="${stack.env.baseUrl}/saml/${live.tenantId}/acs"`);
  expect(xml).toContain(`Location="${stack.env.baseUrl}/saml/${live.tenantId}/slo"`);
  expect(xml).toContain('WantAssertionsSigned="true"');
  expect(xml).not.toContain('KeyDescriptor'); // no SP signing key configured here
});

test('signing out of an SSO session also signs out at Entra (single logout) when the tenant has a logout URL', async () => {
  const slo = await connectTenant(stack, { name: 'Northwind', domains: ['northwind.example'], slo: true });
  slo.emulated.addUser({ email: 'nina@northwind.example' });
  const browser = new SsoBrowser(stack.env, slo);
  expect((await browser.signIn('nina@northwind.example')).status).toBe(303);
  await browser.http.get('/'); // a page with the sign-out form (and its CSRF token)

  const out = await browser.http.postForm('/signout', {}, { redirect: 'manual' });
  expect(out.status).toBe(303);
  const toEntra = new URL(out.headers.get('location')!);
  expect(`${toEntra.origin}${toEntra.pathname}`).toBe(slo.emulated.ssoUrl());
  expect(inflateRawSync(Buffer.from(toEntra.searchParams.get('SAMLRequest')!, 'base64')).toString()).toContain('nina@northwind.example');
  expect(await browser.whoAmI()).toBeUndefined(); // signed out here already

  // Entra answers with a signed LogoutResponse on our SLO endpoint.
  const back = await fetch(toEntra, { redirect: 'manual' });
  expect(back.status).toBe(302);
  const landing = await browser.http.get(back.headers.get('location')!);
  expect(await landing.text()).toContain('You are signed out of Entrada and of your organisation account.');
});

test('a forged or unsigned LogoutResponse is not believed, and is audited with its reason', async () => {
  const slo = await connectTenant(stack, { name: 'Wingtip', domains: ['wingtip.example'], slo: true });
  slo.emulated.addUser({ email: 'will@wingtip.example' });
  const browser = new SsoBrowser(stack.env, slo);
  expect((await browser.signIn('will@wingtip.example')).status).toBe(303);
  await browser.http.get('/');
  const toEntra = new URL((await browser.http.postForm('/signout', {}, { redirect: 'manual' })).headers.get('location')!);
  const genuine = new URL((await fetch(toEntra, { redirect: 'manual' })).headers.get('location')!, stack.env.baseUrl);

  const forged = new URL(genuine);
  forged.searchParams.set('RelayState', '/somewhere-else'); // covered by the signature
  const unsigned = new URL(genuine);
  unsigned.searchParams.delete('Signature');
  for (const [url, reason] of [
    [forged, 'signature-invalid'],
    [unsigned, 'unsigned'],
  ] as const) {
    const page = await (await browser.http.get(`${url.pathname}${url.search}`)).text();
    expect(page).toContain('You are signed out of Entrada.');
    expect(page).not.toContain('organisation account');
    const event = await AuditEventModel.findOne({
      action: 'saml.logout.rejected',
      tenantId: slo.tenantId,
      'details.reason': reason,
    }).lean();
    expect(event, reason).toMatchObject({ outcome: 'denied', target: { type: 'tenant', id: slo.tenantId } });
  }
  expect(await (await browser.http.get(`${genuine.pathname}${genuine.search}`)).text()).toContain('and of your organisation account');
  expect(await AuditEventModel.countDocuments({ action: 'saml.logout.rejected', tenantId: slo.tenantId })).toBe(2);
});
