/** Any SAML IdP's metadata (here Okta's), and the SSRF boundary of fetching it from a customer's URL. */
import { describe, expect, test } from 'vitest';
import { OktaApp } from '../../emulator/okta/org';
import { settingsFromMetadata } from '../../lib/idp/from-metadata';
import { fetchIdpMetadata, isNonPublicAddress } from '../../lib/idp/metadata-url';
import { oktaTemplate } from '../../lib/idp/presets';
import { validateConnectionSettings } from '../../lib/idp/settings';
import { parseIdpMetadata } from '../../lib/saml/federation-metadata';

describe('IdP metadata', () => {
  test("Okta's metadata and the Okta preset make valid settings", () => {
    const okta = new OktaApp(() => 'https://acme.okta.example');
    const metadata = parseIdpMetadata(okta.metadataXml());
    expect(metadata).toMatchObject({ idpEntityId: okta.issuer, ssoUrl: okta.ssoUrl(), ssoBinding: 'redirect' });
    const settings = validateConnectionSettings(settingsFromMetadata(oktaTemplate(), metadata), { production: true });
    expect(settings).toMatchObject({ kind: 'okta', idpEntityId: okta.issuer, certificates: [okta.signingCertificates()[0]!.certPem] });
  });

  test('an IdP with only a POST SSO endpoint is sent its requests by POST', () => {
    const okta = new OktaApp(() => 'https://acme.okta.example');
    const postOnly = okta.metadataXml().replace(/<md:SingleSignOnService Binding="[^"]*HTTP-Redirect"[^>]*\/>/, '');
    expect(parseIdpMetadata(postOnly)).toMatchObject({ ssoBinding: 'post', ssoUrl: okta.ssoUrl() });
  });
});

describe('fetching metadata from a customer URL', () => {
  test.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
  ])('%s is not a public address', (address) => expect(isNonPublicAddress(address)).toBe(true));
  test.each(['8.8.8.8', '172.32.0.1', '2606:4700::1111'])('%s is public', (address) => expect(isNonPublicAddress(address)).toBe(false));

  test.each([
    ['http in production', 'http://idp.example/metadata', /must use https/],
    ['a loopback address in production', 'https://127.0.0.1/metadata', /not a public address/],
    ['a name that resolves to loopback in production', 'https://localhost/metadata', /not a public address/],
    ['not a URL', 'idp.example/metadata', /not a URL/],
  ])('refused: %s', async (_name, url, message) => {
    await expect(fetchIdpMetadata(url, { production: true })).rejects.toThrow(message);
  });
});
