import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntraEmulator, type EmulatedTenant } from '../../emulator';
import { ACS_URL, childNames, elements, parseXml, SP_ENTITY_ID, spFor, FIXTURES } from './support';

const emulator = createEntraEmulator();
let server: { url: string; close(): Promise<void> };
let tenant: EmulatedTenant;
const fixture = readFileSync(join(FIXTURES, 'federationmetadata-6e89e984.xml'), 'utf8').replace(/^\uFEFF/, '');

beforeAll(async () => {
  server = await emulator.listen(0);
  tenant = emulator.createTenant({ name: 'Contoso' });
  tenant.addUser({ email: 'alice@contoso.com' });
});
afterAll(() => server.close());

async function fetchMetadata(url = tenant.metadataUrl()): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/xml/);
  return res.text();
}

/** What an SP metadata importer extracts: entity ID, SSO URL and signing certificates. */
function importMetadata(xml: string) {
  const doc = parseXml(xml);
  const idp = elements(doc, 'IDPSSODescriptor')[0]!;
  const certs = elements(idp, 'KeyDescriptor')
    .filter((k) => k.getAttribute('use') === 'signing')
    .map((k) => `-----BEGIN CERTIFICATE-----\n${elements(k, 'X509Certificate')[0]!.textContent}\n-----END CERTIFICATE-----`);
  const sso = elements(idp, 'SingleSignOnService').map((s) => [s.getAttribute('Binding'), s.getAttribute('Location')]);
  return { entityId: doc.documentElement!.getAttribute('entityID'), certs, sso, slo: elements(idp, 'SingleLogoutService') };
}

/** Checks the signature as an SP importing the document would; `signedReferences` counts what it covers. */
function verifySignature(xml: string): { valid: boolean; signedReferences: number; signerPem: string } {
  const doc = parseXml(xml);
  const signature = childNames(doc.documentElement!).indexOf('Signature');
  expect(signature).toBe(0); // Entra puts it first
  const sigNode = elements(doc.documentElement!, 'Signature')[0]!;
  const signerPem = `-----BEGIN CERTIFICATE-----\n${elements(sigNode, 'X509Certificate')[0]!.textContent}\n-----END CERTIFICATE-----`;
  const sig = new SignedXml({ publicCert: signerPem });
  sig.loadSignature(sigNode);
  const valid = sig.checkSignature(xml);
  expect((sigNode.getElementsByTagNameNS('*', 'Reference')[0] as Element).getAttribute('URI')).toBe(
    `#${doc.documentElement!.getAttribute('ID')}`,
  );
  return { valid, signedReferences: sig.getSignedReferences().length, signerPem };
}

describe('federation metadata', () => {
  it('is signed by a certificate it publishes, and the signature verifies', async () => {
    const xml = await fetchMetadata();
    const { valid, signedReferences, signerPem } = verifySignature(xml);
    expect(valid).toBe(true);
    expect(signedReferences).toBe(1); // the whole document, by its ID
    const published = importMetadata(xml).certs.map((c) => new X509Certificate(c).fingerprint);
    expect(published).toContain(new X509Certificate(signerPem).fingerprint);
  });

  it('fails signature verification once an endpoint or a certificate is altered', async () => {
    const xml = await fetchMetadata();
    const sso = `${server.url}/${tenant.tenantId}/saml2`;
    expect(verifySignature(xml.replaceAll(`Location="${sso}"`, 'Location="https://evil.example/saml2"')).valid).toBe(false);
    const attacker = emulator
      .createTenant()
      .signingCertificates()[0]!
      .certPem.replace(/-----[A-Z ]+-----|\s/g, '');
    const published = importMetadata(xml).certs[0]!.split('\n')[1]!;
    expect(verifySignature(xml.replaceAll(`<X509Certificate>${published}<`, `<X509Certificate>${attacker}<`)).valid).toBe(false);
  });

  it("has Entra's entity ID, endpoints and structure", async () => {
    const xml = await fetchMetadata(tenant.metadataUrl('app-123'));
    const md = importMetadata(xml);
    expect(md.entityId).toBe(`https://sts.windows.net/${tenant.tenantId}/`);
    const sso = `${server.url}/${tenant.tenantId}/saml2`;
    expect(md.sso).toEqual([
      ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', sso],
      ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', sso],
    ]);
    expect(md.slo.map((s) => s.getAttribute('Location'))).toEqual([sso]);
    const shape = (doc: ReturnType<typeof parseXml>) => ({
      root: childNames(doc.documentElement!),
      roles: elements(doc, 'RoleDescriptor').map((r) => [r.getAttribute('xsi:type'), childNames(r).filter((n) => n !== 'KeyDescriptor')]),
      idp: childNames(elements(doc, 'IDPSSODescriptor')[0]!).filter((n) => n !== 'KeyDescriptor'),
      claims: elements(doc, 'ClaimType').map((c) => c.getAttribute('Uri')),
    });
    expect(shape(parseXml(xml))).toEqual(shape(parseXml(fixture)));
  });

  it('publishes every signing certificate through rollover, and SPs that import it keep validating', async () => {
    const t = emulator.createTenant({ name: 'Rollover' });
    t.addUser({ email: 'bob@rollover.example' });
    const issue = () => t.issueSamlResponse({ email: 'bob@rollover.example', acsUrl: ACS_URL, audience: SP_ENTITY_ID }).samlResponse;
    const before = importMetadata(await fetchMetadata(t.metadataUrl()));
    expect(before.certs).toHaveLength(1);

    const next = t.addSigningCertificate();
    const during = importMetadata(await fetchMetadata(t.metadataUrl()));
    expect(during.certs).toHaveLength(2);
    expect(during.certs.map((c) => new X509Certificate(c).fingerprint.replace(/:/g, ''))).toContain(next.thumbprint);

    // Not active yet: still signed by the old certificate.
    await spFor(t, { idpCert: before.certs }).validatePostResponseAsync({ SAMLResponse: issue() });
    t.activateSigningCertificate(next.thumbprint);
    const afterActivation = issue();
    await expect(spFor(t, { idpCert: before.certs }).validatePostResponseAsync({ SAMLResponse: afterActivation })).rejects.toThrow(
      /signature/i,
    );
    await spFor(t, { idpCert: during.certs }).validatePostResponseAsync({ SAMLResponse: afterActivation });
    expect(verifySignature(await fetchMetadata(t.metadataUrl()))).toMatchObject({ valid: true, signedReferences: 1 });

    const old = t.signingCertificates().find((c) => !c.active)!;
    t.removeSigningCertificate(old.thumbprint);
    expect(importMetadata(await fetchMetadata(t.metadataUrl())).certs).toHaveLength(1);
    expect(() => t.removeSigningCertificate(next.thumbprint)).toThrow(/active/);
  });

  it('answers an unknown tenant with AADSTS90002 and 400', async () => {
    const res = await fetch(`${server.url}/00000000-0000-0000-0000-000000000000/federationmetadata/2007-06/federationmetadata.xml`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/^AADSTS90002: Tenant '00000000-0000-0000-0000-000000000000' not found/);
  });
});

describe('signing certificates', () => {
  it("look like Entra's: CN, RSA-2048, 3 years, SHA-1 thumbprint, distinct keys per tenant", () => {
    const a = emulator.createTenant().signingCertificates()[0]!;
    const b = emulator.createTenant().signingCertificates()[0]!;
    const x = new X509Certificate(a.certPem);
    expect(x.subject).toBe('CN=accounts.accesscontrol.windows.net');
    expect(x.issuer).toBe(x.subject);
    expect(x.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const years = (Date.parse(x.validTo) - Date.parse(x.validFrom)) / (365 * 24 * 3600_000);
    expect(years).toBeCloseTo(3, 1);
    expect(a.notAfter.getTime()).toBe(Date.parse(x.validTo));
    expect(a.thumbprint).toBe(x.fingerprint.replace(/:/g, ''));
    expect(a.active).toBe(true);
    const spki = (pem: string) => new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(spki(a.certPem)).not.toBe(spki(b.certPem));
  });
});
