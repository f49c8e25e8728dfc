import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEntraEmulator, type EmulatedTenant, type SigningMode } from '../../emulator';
import { ACS_URL, childNames, elements, parseXml, SP_ENTITY_ID, spFor, FIXTURES } from './support';

const emulator = createEntraEmulator({ baseUrl: 'http://entra.test' });
const tenants = {} as Record<SigningMode, EmulatedTenant>;
const OID = 'claims';

beforeAll(() => {
  for (const signing of ['assertion', 'response', 'both'] as const) {
    const t = (tenants[signing] = emulator.createTenant({ name: `Fabrikam ${signing}`, signing }));
    t.addUser({
      email: 'Alice@Fabrikam.com',
      displayName: 'Alice Example',
      givenName: 'Alice',
      surname: 'Example',
      groups: ['g-1', 'g-2'],
    });
  }
});

const issue = (t: EmulatedTenant, extra: Partial<Parameters<EmulatedTenant['issueSamlResponse']>[0]> = {}) =>
  t.issueSamlResponse({ email: 'alice@fabrikam.com', acsUrl: ACS_URL, audience: SP_ENTITY_ID, inResponseTo: '_req1', ...extra });

const tamper = (samlResponse: string) =>
  Buffer.from(Buffer.from(samlResponse, 'base64').toString('utf8').replaceAll('Alice@Fabrikam.com', 'mallory@fabrikam.com')).toString(
    'base64',
  );

describe('SAML responses validate with node-saml per signing mode', () => {
  const modes: [SigningMode, { wantAssertionsSigned: boolean; wantAuthnResponseSigned: boolean }][] = [
    ['assertion', { wantAssertionsSigned: true, wantAuthnResponseSigned: false }],
    ['response', { wantAssertionsSigned: false, wantAuthnResponseSigned: true }],
    ['both', { wantAssertionsSigned: true, wantAuthnResponseSigned: true }],
  ];

  it.each(modes)('%s: valid response gives the Entra profile', async (mode, wants) => {
    const t = tenants[mode];
    const { profile } = await spFor(t, wants).validatePostResponseAsync({ SAMLResponse: issue(t).samlResponse });
    expect(profile?.nameID).toBe('Alice@Fabrikam.com');
    expect(profile?.nameIDFormat).toBe('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    expect(profile?.issuer).toBe(`https://sts.windows.net/${t.tenantId}/`);
    expect(profile?.['http://schemas.microsoft.com/identity/claims/tenantid']).toBe(t.tenantId);
    expect(profile?.['http://schemas.microsoft.com/identity/claims/objectidentifier']).toBe(t.findUser('alice@fabrikam.com')!.objectId);
    expect(profile?.['http://schemas.microsoft.com/ws/2008/06/identity/claims/groups']).toEqual(['g-1', 'g-2']);
    expect(profile?.['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname']).toBe('Alice');
    expect(profile?.['http://schemas.microsoft.com/identity/claims/displayname']).toBe('Alice Example');
  });

  it.each(modes)('%s: tampered response is rejected', async (mode, wants) => {
    const t = tenants[mode];
    await expect(spFor(t, wants).validatePostResponseAsync({ SAMLResponse: tamper(issue(t).samlResponse) })).rejects.toThrow(/signature/i);
  });

  it('assertion mode does not sign the Response, response mode does not sign the Assertion', async () => {
    await expect(
      spFor(tenants.assertion, { wantAuthnResponseSigned: true }).validatePostResponseAsync({
        SAMLResponse: issue(tenants.assertion).samlResponse,
      }),
    ).rejects.toThrow(/signature/i);
    await expect(
      spFor(tenants.response, { wantAssertionsSigned: true, wantAuthnResponseSigned: true }).validatePostResponseAsync({
        SAMLResponse: issue(tenants.response).samlResponse,
      }),
    ).rejects.toThrow(/signature/i);
  });

  it("another tenant's certificate does not validate it", async () => {
    const sp = spFor(tenants.assertion, { idpCert: tenants.both.signingCertificates()[0]!.certPem });
    await expect(sp.validatePostResponseAsync({ SAMLResponse: issue(tenants.assertion).samlResponse })).rejects.toThrow(/signature/i);
  });

  it('time window and audience are enforced by the SP; issuer/tenant overrides are carried', async () => {
    const t = tenants.assertion;
    const old = new Date(Date.now() - 2 * 3600_000);
    await expect(spFor(t).validatePostResponseAsync({ SAMLResponse: issue(t, { now: old }).samlResponse })).rejects.toThrow(/expired/i);
    await expect(spFor(t, { audience: 'spn:other' }).validatePostResponseAsync({ SAMLResponse: issue(t).samlResponse })).rejects.toThrow(
      /audience/i,
    );
    // node-saml 5.1 does not compare the assertion Issuer with idpIssuer: the SP must check it itself.
    const forged = issue(t, { overrides: { issuer: 'https://sts.windows.net/evil/', tenantIdClaim: 'evil' } }).samlResponse;
    const { profile } = await spFor(t).validatePostResponseAsync({ SAMLResponse: forged });
    expect(profile?.issuer).toBe('https://sts.windows.net/evil/');
    expect(profile?.['http://schemas.microsoft.com/identity/claims/tenantid']).toBe('evil');
  });

  it('unknown users cannot get a response', () => {
    expect(() => issue(tenants.assertion, { email: 'nobody@fabrikam.com' })).toThrow(/AADSTS50034/);
  });
});

describe("response shape is Entra's", () => {
  it('matches the element structure of the real 2018 Entra response', () => {
    const fixture = parseXml(readFileSync(join(FIXTURES, 'samlp-response-2018-broken-signature.xml'), 'utf8').replace(/^\uFEFF/, ''));
    const ours = parseXml(issue(tenants.assertion, { relayState: OID }).xml);
    const shape = (doc: ReturnType<typeof parseXml>) => {
      const assertion = elements(doc, 'Assertion')[0]!;
      return {
        response: childNames(doc.documentElement!),
        assertion: childNames(assertion),
        subject: childNames(elements(assertion, 'Subject')[0]!),
      };
    };
    expect(shape(ours)).toEqual(shape(fixture));
    const assertion = elements(ours, 'Assertion')[0]!;
    expect(assertion.namespaceURI).toBe('urn:oasis:names:tc:SAML:2.0:assertion');
    expect(assertion.prefix).toBeNull();
    expect(assertion.getAttribute('ID')).toMatch(/^_[0-9a-f-]{36}$/);
    const confirmation = elements(ours, 'SubjectConfirmationData')[0]!;
    expect(confirmation.getAttribute('InResponseTo')).toBe('_req1');
    expect(confirmation.getAttribute('Recipient')).toBe(ACS_URL);
    const conditions = elements(ours, 'Conditions')[0]!;
    const span = Date.parse(conditions.getAttribute('NotOnOrAfter')!) - Date.parse(conditions.getAttribute('NotBefore')!);
    expect(span).toBe(65 * 60_000); // Entra: 5 minutes before to 1 hour after issue
  });

  it('sends the groups overage claim instead of more than 150 groups', () => {
    const t = tenants.assertion;
    const groups = Array.from({ length: 151 }, (_, i) => `group-${i}`);
    t.setGroups('alice@fabrikam.com', groups.slice(0, 150));
    const names = (xml: string) => elements(parseXml(xml), 'Attribute').map((a) => a.getAttribute('Name'));
    const at150 = issue(t).xml;
    expect(names(at150)).toContain('http://schemas.microsoft.com/ws/2008/06/identity/claims/groups');
    expect(elements(parseXml(at150), 'AttributeValue').filter((v) => v.textContent?.startsWith('group-'))).toHaveLength(150);
    t.setGroups('alice@fabrikam.com', groups);
    const over = issue(t).xml;
    expect(names(over)).not.toContain('http://schemas.microsoft.com/ws/2008/06/identity/claims/groups');
    expect(names(over)).toContain('http://schemas.microsoft.com/claims/groups.link');
    t.setGroups('alice@fabrikam.com', ['g-1', 'g-2']);
  });
});
