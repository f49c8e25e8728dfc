import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntraEmulator, type EmulatedTenant } from '../../emulator';
import { ACS_URL, postForm, readForm, SP_ENTITY_ID, spFor } from './support';

const emulator = createEntraEmulator();
let server: { url: string; close(): Promise<void> };
let tenant: EmulatedTenant;

beforeAll(async () => {
  server = await emulator.listen(0);
  tenant = emulator.createTenant({ name: 'Contoso & Co' });
  tenant.addUser({ email: 'alice@contoso.com', displayName: 'Alice <Admin>' });
  tenant.addUser({ email: 'bob@contoso.com' });
});
afterAll(() => server.close());

const sp = () => spFor(tenant, { validateInResponseTo: 'always' as never });
const redirectRequest = (xml: string, relayState?: string) =>
  `${tenant.ssoUrl()}?SAMLRequest=${encodeURIComponent(deflateRawSync(xml).toString('base64'))}${relayState ? `&RelayState=${relayState}` : ''}`;
const authnXml = (attrs = 'ID="_abc"', issuer = SP_ENTITY_ID) =>
  `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ${attrs} Version="2.0" IssueInstant="${new Date().toISOString()}"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${issuer}</saml:Issuer></samlp:AuthnRequest>`;

describe('HTTP-Redirect sign-in, end to end', () => {
  it('AuthnRequest → sign-in page → pick a user → auto-POST to the ACS → node-saml accepts it', async () => {
    const saml = sp();
    const url = await saml.getAuthorizeUrlAsync('relay/ä?&1', undefined, {});
    expect(url.startsWith(`${tenant.ssoUrl()}?SAMLRequest=`)).toBe(true);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Sign in to Contoso &amp; Co</title>');
    expect(html).toContain('Alice &lt;Admin&gt;'); // escaped, never raw
    expect(html).not.toContain('<Admin>');
    const picker = readForm(html, 'user-picker');
    expect(picker.action).toBe(`${server.url}/${tenant.tenantId}/saml2/login`);
    expect(picker.buttons).toEqual(['alice@contoso.com', 'bob@contoso.com']);
    expect(html).toContain('data-email="alice@contoso.com"');

    const posted = await postForm(picker.action, { ...picker.fields, email: 'alice@contoso.com' });
    expect(posted.status).toBe(200);
    const autoPost = readForm(await posted.text(), 'saml-post');
    expect(autoPost.action).toBe(ACS_URL);
    expect(autoPost.fields.RelayState).toBe('relay/ä?&1');

    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: autoPost.fields.SAMLResponse! });
    expect(profile?.nameID).toBe('alice@contoso.com');
    expect(profile?.['http://schemas.microsoft.com/identity/claims/objectidentifier']).toBe(tenant.findUser('alice@contoso.com')!.objectId);
  });

  it('typing an unknown email shows AADSTS50034 on the sign-in page; a typed known email signs in', async () => {
    const html = await (await fetch(await sp().getAuthorizeUrlAsync('', undefined, {}))).text();
    const form = readForm(html, 'email-form');
    const unknown = await (await postForm(form.action, { ...form.fields, email: 'nobody@contoso.com' })).text();
    expect(unknown).toContain(`AADSTS50034: The user account nobody@contoso.com does not exist in the ${tenant.tenantId} directory`);
    expect(unknown).toContain('id="error"');
    const known = await (await postForm(form.action, { ...form.fields, email: ' BOB@contoso.com ' })).text();
    expect(readForm(known, 'saml-post').fields.SAMLResponse).toBeTruthy();
  });

  it('refuses a forged or foreign sign-in handle', async () => {
    const res = await postForm(`${tenant.ssoUrl()}/login`, { ctx: 'forged', email: 'alice@contoso.com' });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('SAMLResponse');
  });

  it('uses the registered reply URL when the request names no ACS, and rejects a different ACS', async () => {
    tenant.registerApplication({ entityId: 'urn:sp:registered', replyUrl: 'https://registered.example/acs' });
    const ok = await fetch(redirectRequest(authnXml('ID="_r1"', 'urn:sp:registered')));
    expect(ok.status).toBe(200);
    const form = readForm(await ok.text(), 'user-picker');
    const autoPost = readForm(await (await postForm(form.action, { ...form.fields, email: 'bob@contoso.com' })).text(), 'saml-post');
    expect(autoPost.action).toBe('https://registered.example/acs');
    const bad = await fetch(
      redirectRequest(authnXml('ID="_r2" AssertionConsumerServiceURL="https://evil.example/acs"', 'urn:sp:registered')),
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('AADSTS50011');
  });

  it('accepts the HTTP-POST binding too', async () => {
    const xml = authnXml(`ID="_p1" AssertionConsumerServiceURL="${ACS_URL}"`);
    const res = await postForm(tenant.ssoUrl(), { SAMLRequest: Buffer.from(xml).toString('base64'), RelayState: 'rs' });
    expect(res.status).toBe(200);
    expect(readForm(await res.text(), 'user-picker').buttons).toContain('alice@contoso.com');
  });
});

describe('bad requests get Entra errors, never a crash', () => {
  it.each([
    ['no SAMLRequest', () => tenant.ssoUrl(), /AADSTS750054/],
    [
      'not deflated',
      () => `${tenant.ssoUrl()}?SAMLRequest=${encodeURIComponent(Buffer.from(authnXml()).toString('base64'))}`,
      /AADSTS75005/,
    ],
    ['a DOCTYPE', () => redirectRequest(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${authnXml()}`), /AADSTS75005.*DOCTYPE/],
    ['no ID', () => redirectRequest(authnXml('')), /AADSTS75005.*no ID/],
    ['an ID starting with a digit', () => redirectRequest(authnXml('ID="1abc"')), /AADSTS7500529/],
    ['no Issuer', () => redirectRequest(authnXml().replace(/<saml:Issuer.*<\/saml:Issuer>/, '')), /AADSTS75005.*Issuer/],
    ['no ACS and no registered app', () => redirectRequest(authnXml()), /AADSTS50011/],
    ['a javascript: ACS', () => redirectRequest(authnXml('ID="_j" AssertionConsumerServiceURL="javascript:alert(1)"')), /AADSTS50011/],
    ['malformed XML', () => redirectRequest('<samlp:AuthnRequest'), /AADSTS75005/],
    ['an unknown tenant', () => `${server.url}/not-a-tenant/saml2?SAMLRequest=x`, /AADSTS90002: Tenant &apos;not-a-tenant&apos; not found/],
  ])('%s → 400', async (_name, url, message) => {
    const res = await fetch(url());
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(message);
  });
});

describe('single logout', () => {
  it("redirects a signed LogoutResponse to the app's logout URL, which node-saml validates", async () => {
    tenant.registerApplication({ entityId: SP_ENTITY_ID, logoutUrl: 'https://entrada.test/saml/logout' });
    const saml = sp();
    const logoutUrl = await saml.getLogoutUrlAsync(
      { issuer: tenant.issuer, nameID: 'alice@contoso.com', nameIDFormat: 'x' },
      'after-logout',
      {},
    );
    const res = await fetch(logoutUrl, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://entrada.test/saml/logout');
    expect(location.searchParams.get('RelayState')).toBe('after-logout');
    expect(location.searchParams.get('Signature')).toBeTruthy();
    const query = Object.fromEntries(location.searchParams);
    const result = await saml.validateRedirectAsync(query, location.search.slice(1));
    expect(result.loggedOut).toBe(true);
    const forged = { ...query, RelayState: 'elsewhere' };
    await expect(saml.validateRedirectAsync(forged, location.search.slice(1).replace('after-logout', 'elsewhere'))).rejects.toThrow(
      /signature/i,
    );
  });

  it('shows a signed-out page when the app has no logout URL', async () => {
    const xml = `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_l1" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">urn:sp:unknown</saml:Issuer><saml:NameID xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">bob@contoso.com</saml:NameID></samlp:LogoutRequest>`;
    const res = await fetch(redirectRequest(xml));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('id="signed-out"');
  });
});
