/**
 * The Okta apps over HTTP, as a browser meets them: the metadata link, an SP-initiated
 * AuthnRequest (Redirect and POST bindings) to the sign-in page, the picked user's signed
 * Response auto-posted to the ACS, which node-saml configured from the served metadata accepts
 * with both signatures required. An unassigned user, a forged handle and an ACS other than the
 * app's Single sign-on URL are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAML } from '@node-saml/node-saml';
import { createEntraEmulator } from '../../emulator';
import type { OktaApp } from '../../emulator/okta/org';
import { parseIdpMetadata } from '../../lib/saml/federation-metadata';
import { ACS_URL, postForm, readForm, SP_ENTITY_ID } from './support';

const emulator = createEntraEmulator();
let server: { url: string; close(): Promise<void> };
let app: OktaApp;

beforeAll(async () => {
  server = await emulator.listen(0);
  app = emulator.createOktaApp({ name: 'Initech' });
  app.addUser({ email: 'peter@initech.example', givenName: 'Peter', surname: 'Gibbons' });
});
afterAll(() => server.close());

async function spFromMetadata(): Promise<SAML> {
  const res = await fetch(app.metadataUrl());
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/xml');
  const idp = parseIdpMetadata(await res.text());
  return new SAML({
    entryPoint: idp.ssoUrl,
    issuer: SP_ENTITY_ID,
    audience: SP_ENTITY_ID,
    callbackUrl: ACS_URL,
    idpIssuer: idp.idpEntityId,
    idpCert: idp.certificates.map((c) => c.pem),
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    validateInResponseTo: 'always' as never,
  });
}

describe('the Okta emulator over HTTP', () => {
  it('metadata → AuthnRequest → Okta sign-in page → signed Response that node-saml accepts', async () => {
    const sp = await spFromMetadata();
    const url = await sp.getAuthorizeUrlAsync('back/to/files', undefined, {});
    expect(url.startsWith(`${server.url}/okta/app/entrada/${app.appId}/sso/saml?SAMLRequest=`)).toBe(true);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Okta (emulator)');
    const picker = readForm(html, 'user-picker');
    expect(picker.buttons).toEqual(['peter@initech.example']);

    const autoPost = readForm(
      await (await postForm(picker.action, { ...picker.fields, email: 'peter@initech.example' })).text(),
      'saml-post',
    );
    expect(autoPost.action).toBe(ACS_URL);
    expect(autoPost.fields.RelayState).toBe('back/to/files');
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: autoPost.fields.SAMLResponse! });
    expect(profile).toMatchObject({ issuer: app.issuer, nameID: 'peter@initech.example', firstName: 'Peter', lastName: 'Gibbons' });
    // As Okta signs: both signatures keep the `xs` prefix the typed attribute values use.
    const xml = Buffer.from(autoPost.fields.SAMLResponse!, 'base64').toString();
    expect(xml.match(/<InclusiveNamespaces PrefixList="xs" xmlns="http:\/\/www.w3.org\/2001\/10\/xml-exc-c14n#"\/>/g)).toHaveLength(2);
  });

  it('the POST binding reaches the same page; an unassigned user is told so on it', async () => {
    // The POST binding carries the AuthnRequest base64-encoded, not deflated.
    const authnRequest = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_p1" Version="2.0" IssueInstant="${new Date().toISOString()}" AssertionConsumerServiceURL="${ACS_URL}"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${SP_ENTITY_ID}</saml:Issuer></samlp:AuthnRequest>`;
    const page = await postForm(app.ssoUrl(), { SAMLRequest: Buffer.from(authnRequest).toString('base64') });
    expect(page.status).toBe(200);
    const form = readForm(await page.text(), 'email-form');
    const refused = await (await postForm(form.action, { ...form.fields, email: 'nobody@initech.example' })).text();
    expect(refused).toContain('not assigned to the app');
    expect(refused).not.toContain('SAMLResponse');
  });

  it('refuses a forged handle, an unknown app, and an ACS other than the configured Single sign-on URL', async () => {
    expect((await postForm(`${app.ssoUrl()}/login`, { ctx: 'forged', email: 'peter@initech.example' })).status).toBe(400);
    expect((await fetch(`${server.url}/okta/app/exk0000000000000000/sso/saml/metadata`)).status).toBe(404);

    const pinned = emulator.createOktaApp({ name: 'Pinned', sp: { acsUrl: 'https://other.example/acs', audience: SP_ENTITY_ID } });
    const sp = new SAML({ entryPoint: pinned.ssoUrl(), issuer: SP_ENTITY_ID, callbackUrl: ACS_URL, idpCert: 'unused' });
    const res = await fetch(await sp.getAuthorizeUrlAsync('', undefined, {}));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('does not match the app&apos;s Single sign-on URL');
  });
});
