import { describe, expect, test } from 'vitest';
import { OktaApp } from '../../emulator/okta/org';
import { assertionSignedToo } from '../../lib/saml/checks/assertion-signature';
import { parseEnvelope } from '../../lib/saml/checks/message';
import { SamlRejection } from '../../lib/saml/rejection';

/**
 * "The Assertion is signed too" (Okta's preset), checked on the parsed response after node-saml
 * has verified the Response's signature. Called directly here, without that outer signature, to
 * show the check itself is cryptographic: a changed byte, another key or a missing signature fails.
 */
const okta = new OktaApp(() => 'https://acme.okta.invalid', { name: 'Acme' });
const other = new OktaApp(() => 'https://evil.okta.invalid', { name: 'Evil' });
okta.addUser({ email: 'ada@acme.example' });
const certs = okta.signingCertificates().map((c) => c.certPem);
const issue = (overrides?: { signing: 'response' }) =>
  Buffer.from(
    okta.issueSamlResponse({
      email: 'ada@acme.example',
      acsUrl: 'https://sp.example/acs',
      audience: 'https://sp.example',
      ...(overrides ? { overrides } : {}),
    }).samlResponse,
    'base64',
  ).toString('utf8');
const check =
  (xml: string, trusted = certs) =>
  () =>
    assertionSignedToo(parseEnvelope(xml).root, trusted);
const refusedWith = (fn: () => void, received: RegExp) => {
  expect(fn).toThrow(SamlRejection);
  try {
    fn();
  } catch (err) {
    expect((err as SamlRejection).reason).toBe('signature-invalid');
    expect(String((err as SamlRejection).received)).toMatch(received);
  }
};

test('an assertion signed by the IdP passes', () => {
  expect(check(issue())).not.toThrow();
});

describe('refused', () => {
  test('no signature on the assertion (only the Response signed)', () => {
    refusedWith(check(issue({ signing: 'response' })), /0 signatures on the assertion/);
  });

  test('a byte of the assertion changed after signing', () => {
    refusedWith(check(issue().replace('ada@acme.example</saml2:NameID>', 'eve@acme.example</saml2:NameID>')), /digest that does not match/);
  });

  test('a signature value that no trusted certificate verifies', () => {
    const xml = issue();
    const value = /<saml2:Assertion[\s\S]*<SignatureValue>([^<]+)</.exec(xml)![1]!;
    const altered = value.slice(0, 10) + (value[10] === 'A' ? 'B' : 'A') + value.slice(11);
    refusedWith(check(xml.replace(value, altered)), /no trusted certificate/);
  });

  test('a signature by another IdP’s key', () => {
    refusedWith(
      check(
        issue(),
        other.signingCertificates().map((c) => c.certPem),
      ),
      /no trusted certificate/,
    );
  });

  test('a signature whose reference names another element', () => {
    const xml = issue();
    const id = /<saml2:Assertion [^>]*ID="([^"]+)"/.exec(xml)![1]!;
    refusedWith(check(xml.replace(`URI="#${id}"`, 'URI="#elsewhere"')), /a signature over #elsewhere/);
  });

  test('a signature whose transforms are not enveloped then exclusive canonicalization', () => {
    const xml = issue();
    const assertion = xml.indexOf('<saml2:Assertion');
    const enveloped = /<Transform Algorithm="http:\/\/www.w3.org\/2000\/09\/xmldsig#enveloped-signature"(\/>|>.*?<\/Transform>)/;
    const withoutIt = xml.slice(0, assertion) + xml.slice(assertion).replace(enveloped, '');
    refusedWith(check(withoutIt), /transforms http:\/\/www.w3.org\/2001\/10\/xml-exc-c14n#$/);
  });

  test('a SignedInfo with a second reference', () => {
    const xml = issue();
    const assertion = xml.indexOf('<saml2:Assertion');
    const end = xml.indexOf('</Reference>', assertion) + '</Reference>'.length;
    const start = xml.lastIndexOf('<Reference ', end);
    refusedWith(check(xml.slice(0, end) + xml.slice(start, end) + xml.slice(end)), /several references/);
  });
});
