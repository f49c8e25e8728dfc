import { describe, expect, test } from 'vitest';
import { createEntraEmulator } from '../../emulator';
import { Refusal } from '../../lib/contracts/refusal';
import { parseFederationMetadata } from '../../lib/saml/federation-metadata';
import { expiredEntraCertificate, readEntraFixture } from '../support/entra-fixtures';

const REAL = readEntraFixture('federationmetadata-6e89e984.xml');
const REAL_TID = '6e89e984-81f7-4e1d-b40b-d638ccf7c2b0';
/** A real Azure AD signing certificate that expired in 2019 (from the 2017 assertion). */
const EXPIRED_CERT = expiredEntraCertificate();

function refusal(xml: string, tenantId = REAL_TID): Refusal {
  try {
    parseFederationMetadata(xml, { tenantId });
  } catch (err) {
    if (err instanceof Refusal) return err;
    throw err;
  }
  throw new Error('expected the metadata to be refused');
}

describe('real Microsoft Entra federation metadata', () => {
  test('yields the entity ID, SSO/SLO Redirect URLs and all 5 signing certificates with expiry and thumbprint', () => {
    const m = parseFederationMetadata(REAL, { tenantId: REAL_TID.toUpperCase() });
    expect(m.idpEntityId).toBe(`https://sts.windows.net/${REAL_TID}/`);
    expect(m.ssoUrl).toBe(`https://login.microsoftonline.com/${REAL_TID}/saml2`);
    expect(m.sloUrl).toBe(`https://login.microsoftonline.com/${REAL_TID}/saml2`);
    expect(m.certificates).toHaveLength(5);
    expect(m.expiredCertificates).toBe(0);
    expect(m.certificates.map((c) => c.subject)).toEqual([
      ...Array(3).fill('CN=accounts.accesscontrol.windows.net'),
      ...Array(2).fill('CN=login.microsoftonline.us'),
    ]);
    expect(m.certificates[0]).toMatchObject({
      thumbprint: '2588523AC1E10D9ADCE647EA420F2E8E41CC4CD6',
      notAfter: new Date('2030-02-24T09:32:57Z'),
    });
    for (const c of m.certificates) {
      expect(c.thumbprint).toMatch(/^[0-9A-F]{40}$/);
      expect(c.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    }
  });

  test('a UTF-8 BOM in front (as Entra serves it) is ignored', () => {
    expect(parseFederationMetadata(`\uFEFF${REAL}`, { tenantId: REAL_TID }).certificates).toHaveLength(5);
  });

  test('the emulator serves metadata of the same shape', async () => {
    const entra = createEntraEmulator();
    const server = await entra.listen(0);
    try {
      const tenant = entra.createTenant({ name: 'Shape check' });
      const xml = await (await fetch(tenant.metadataUrl())).text();
      const m = parseFederationMetadata(xml, { tenantId: tenant.tenantId });
      expect(m.ssoUrl).toBe(`${server.url}/${tenant.tenantId}/saml2`);
      expect(m.certificates.map((c) => c.thumbprint)).toEqual(tenant.signingCertificates().map((c) => c.thumbprint));
    } finally {
      await server.close();
    }
  });
});

describe('metadata that is refused, and why', () => {
  const withCerts = (body: string) =>
    REAL.replace(/<X509Certificate>[^<]+<\/X509Certificate>/g, `<X509Certificate>${body}</X509Certificate>`);
  const cases: [string, string, string, RegExp][] = [
    [
      'metadata of another tenant',
      REAL,
      '0b1c7f56-3a55-4c3e-9f0e-5a4c3f1e2d10',
      /^the metadata is for tenant 6e89e984-81f7-4e1d-b40b-d638ccf7c2b0, expected 0b1c7f56-3a55-4c3e-9f0e-5a4c3f1e2d10$/,
    ],
    [
      'an entityID that is not an Entra tenant',
      REAL.replace(/entityID="[^"]+"/, 'entityID="https://idp.evil.example/"'),
      REAL_TID,
      /entityID is "https:\/\/idp\.evil\.example\/", expected "https:\/\/sts\.windows\.net\/6e89e984/,
    ],
    ['only expired certificates', withCerts(EXPIRED_CERT), REAL_TID, /^all 1 signing certificates have expired \(the latest on 2019-02-14/],
    ['malformed XML', REAL.slice(0, 5000), REAL_TID, /not well-formed XML/],
    [
      'a DOCTYPE (entity expansion)',
      `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]>${REAL}`,
      REAL_TID,
      /DOCTYPE\/ENTITY declarations are not allowed/,
    ],
    [
      'an external entity',
      REAL.replace('<EntityDescriptor', '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><EntityDescriptor'),
      REAL_TID,
      /DOCTYPE\/ENTITY declarations are not allowed/,
    ],
    ['not SAML metadata', '<html><body>Sign in</body></html>', REAL_TID, /^expected a SAML metadata EntityDescriptor, got \{\}html$/],
    ['empty', '  ', REAL_TID, /the metadata is empty/],
    ['a certificate that is not X.509', withCerts('bm90IGEgY2VydA=='), REAL_TID, /is not a valid X\.509 certificate/],
    [
      'no signing certificate',
      REAL.replace(/<KeyDescriptor use="signing">.*?<\/KeyDescriptor>/g, ''),
      REAL_TID,
      /has no signing certificate/,
    ],
    [
      'no Redirect SSO endpoint',
      REAL.replace(/<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-Redirect"[^>]*\/>/, ''),
      REAL_TID,
      /no SingleSignOnService with the HTTP-Redirect binding/,
    ],
    [
      'a javascript: SSO URL',
      REAL.replace(
        /(<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-Redirect" Location=")[^"]+/,
        '$1javascript:alert(1)',
      ),
      REAL_TID,
      /SingleSignOnService Location is not an http\(s\) URL/,
    ],
    [
      'larger than 512 KB',
      REAL.replace('</EntityDescriptor>', `<!-- ${'x'.repeat(600_000)} --></EntityDescriptor>`),
      REAL_TID,
      /larger than 524288 bytes/,
    ],
  ];
  test.each(cases)('%s', (_name, xml, tenantId, reason) => {
    const err = refusal(xml, tenantId);
    expect(err.message).toMatch(reason);
    expect(err.type).toBe(/another tenant|not an Entra tenant/.test(_name) ? 'TenantMismatch' : 'MetadataInvalid');
  });

  test('expired certificates next to current ones are dropped and counted', () => {
    const expiredKey = `<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${EXPIRED_CERT}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>`;
    const mixed = REAL.replace(/(<IDPSSODescriptor[^>]*>)/, `$1${expiredKey}`);
    const m = parseFederationMetadata(mixed, { tenantId: REAL_TID });
    expect(m.expiredCertificates).toBe(1);
    expect(m.certificates).toHaveLength(5);
  });
});
