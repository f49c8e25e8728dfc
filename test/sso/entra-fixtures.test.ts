/**
 * Real Microsoft output (shared/fixtures/entra, expired long ago): the 2017 Azure AD-signed
 * assertion verifies with xml-crypto and through node-saml with the clock frozen inside its
 * validity, and its claims map through our claim mapping; the 2018 response whose signature
 * was broken by editing is refused as a bad signature.
 */
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { SignedXml } from 'xml-crypto';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { assertionIssuerIsTenant, entraIssuer, recipientIsThisAcs, tenantClaimIsTenant } from '../../lib/saml/checks/entra';
import { readResponseEnvelope } from '../../lib/saml/checks/message';
import { rejectionFromNodeSaml } from '../../lib/saml/checks/node-saml-errors';
import { SamlRejection } from '../../lib/saml/rejection';
import { readSignedAssertion } from '../../lib/saml/signed-assertion';
import { mapEntraClaims } from '../../lib/sso/claims';
import { readEntraFixture } from '../support/entra-fixtures';

const read = (name: string) => readEntraFixture(name).replace(/^\uFEFF/, '');
const keyInfoCert = (xml: string) =>
  `-----BEGIN CERTIFICATE-----\n${/<X509Certificate>([^<]+)<\/X509Certificate>/.exec(xml)![1]}\n-----END CERTIFICATE-----`;

const ASSERTION = read('aad-assertion-2017-signed.xml');
const AAD_TENANT = 'add29489-7269-41f4-8841-b63c95564420';
const AUDIENCE = 'spn:fe78e0b4-6fe7-47e6-812c-fb75cee266a4';
/** The assertion as Entra's POST binding delivers it: inside an (unsigned) samlp:Response. */
const asResponse = (assertion: string) =>
  Buffer.from(
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2017-04-23T16:16:17.348Z">` +
      `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${entraIssuer(AAD_TENANT)}</Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${assertion}</samlp:Response>`,
  ).toString('base64');

const sp = (cert: string, audience: string) =>
  new SAML({
    idpCert: cert,
    issuer: 'https://entrada.test/saml/x',
    callbackUrl: 'https://entrada.test/saml/x/acs',
    audience,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.never,
  });

afterEach(() => vi.useRealTimers());

describe('the 2017 Azure AD-signed assertion', () => {
  test('verifies with xml-crypto against the certificate in its KeyInfo', () => {
    const sig = new SignedXml({ publicCert: keyInfoCert(ASSERTION) });
    sig.loadSignature(/<Signature [\s\S]*<\/Signature>/.exec(ASSERTION)![0]);
    expect(sig.checkSignature(ASSERTION)).toBe(true);
    const tampered = ASSERTION.replace('<AttributeValue>User1</AttributeValue>', '<AttributeValue>Admin</AttributeValue>');
    const again = new SignedXml({ publicCert: keyInfoCert(ASSERTION) });
    again.loadSignature(/<Signature [\s\S]*<\/Signature>/.exec(tampered)![0]);
    expect(again.checkSignature(tampered)).toBe(false);
  });

  test('passes node-saml with the clock inside its window, and its claims map through ours', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2017-04-23T16:20:00Z') });
    const envelope = readResponseEnvelope(asResponse(ASSERTION));
    const { profile } = await sp(keyInfoCert(ASSERTION), AUDIENCE).validatePostResponseAsync({ SAMLResponse: asResponse(ASSERTION) });
    const claims = mapEntraClaims(profile!);
    expect(claims).toEqual({
      tenantId: AAD_TENANT,
      objectId: 'd1ad9ce7-b322-4221-ab74-1e1011e1bbcb',
      email: 'user1@cyrano.onmicrosoft.com', // no emailaddress claim: the UPN (`name`) is used
      nameId: 'RrX3SPSxDw6z4KHaKB2V_mnv0G-LbRZdYvo1RQa1L7s',
      nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      displayName: 'User1',
      givenName: 'User',
      surname: '1',
      groups: [],
      groupsOverage: false,
      roles: [],
      // A password-only sign-in, as Entra's SAML tokens list it (MFA adds .../claims/multipleauthn).
      authnMethods: ['http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password'],
    });
    // Our own checks on the signed assertion: issuer and tenant claim are this tenant's...
    const signed = readSignedAssertion(profile!);
    expect(envelope.issuer).toBe(entraIssuer(AAD_TENANT));
    assertionIssuerIsTenant(signed, AAD_TENANT);
    tenantClaimIsTenant(claims.tenantId, AAD_TENANT);
    expect(() => tenantClaimIsTenant(claims.tenantId, '6e89e984-81f7-4e1d-b40b-d638ccf7c2b0')).toThrow(SamlRejection);
    // ...but a WS-Federation token names no Recipient, so our ACS would not take it.
    expect(() => recipientIsThisAcs(signed, 'https://entrada.test/saml/x/acs')).toThrow(/Recipient/);
  });

  test('outside its window it is expired; for another audience or after an edit it is refused', async () => {
    const reason = async (response: string, audience = AUDIENCE) => {
      try {
        await sp(keyInfoCert(ASSERTION), audience).validatePostResponseAsync({ SAMLResponse: response });
        return 'accepted';
      } catch (err) {
        return rejectionFromNodeSaml(err, readResponseEnvelope(response)).reason;
      }
    };
    expect(await reason(asResponse(ASSERTION))).toBe('expired');
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2017-04-23T16:20:00Z') });
    expect(await reason(asResponse(ASSERTION), 'spn:someone-else')).toBe('audience-mismatch');
    expect(
      await reason(asResponse(ASSERTION.replace('<AttributeValue>User1</AttributeValue>', '<AttributeValue>Admin</AttributeValue>'))),
    ).toBe('signature-invalid');
  });
});

describe('the 2018 Entra-shaped response with a broken signature', () => {
  const RESPONSE = read('samlp-response-2018-broken-signature.xml');

  test('parses as an Entra response but is refused as a bad signature, even by its own certificate', async () => {
    const encoded = Buffer.from(RESPONSE).toString('base64');
    const envelope = readResponseEnvelope(encoded);
    expect(envelope).toMatchObject({ signed: true });
    expect(envelope.issuer).toMatch(/^https:\/\/sts\.windows\.net\/[0-9a-f-]{36}\/$/);

    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2018-12-05T06:00:00Z') });
    const audience = /<Audience>([^<]+)<\/Audience>/.exec(RESPONSE)![1];
    const error = await sp(keyInfoCert(RESPONSE), audience)
      .validatePostResponseAsync({ SAMLResponse: encoded })
      .catch((err: unknown) => err);
    expect(rejectionFromNodeSaml(error, envelope).reason).toBe('signature-invalid');
  });
});
