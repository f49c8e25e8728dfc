/**
 * The generic `saml` kind against an IdP implementation that shares no code with ours: pysaml2 in
 * its IdP mode, signing with xmlsec1 (tools/pysaml2-idp). A tenancy is onboarded from the IdP's
 * metadata URL, then a person signs in SP-initiated end to end (our login route → pysaml2 → our
 * ACS) with pysaml2's own attribute names (urn:oid) and a persistent NameID as the subject; a
 * response whose signed content was altered on the way, and one pysaml2 signed for another
 * service provider (wrong audience), are refused with their reasons.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SsoIdentityModel, TenantModel, UserModel } from '../../lib/models';
import { accountSnapshot, lastRejection } from '../sso/support';
import { startPysaml2Idp, type Pysaml2Idp, type Pysaml2Person } from '../support/pysaml2-idp';
import { finishPendingSignIn, SsoBrowser } from '../support/sso';
import { useStack } from '../support/stack';
import { waitForStage } from '../onboarding/support';

const stack = useStack({ workers: true, staff: { email: 'sam@entrada.test', displayName: 'Sam Staff' } });

const person: Pysaml2Person = { email: 'ines@initech.example', givenName: 'Ines', surname: 'Independent', persistentId: 'pysaml2-7f3a9c' };
/** pysaml2's attribute maps name mail, givenName and sn by their OIDs, as Shibboleth-style IdPs do. */
const connection = {
  signing: 'both',
  nameIdFormat: 'persistent',
  claims: {
    subject: { from: 'nameid' },
    subjectCase: 'exact',
    email: ['urn:oid:0.9.2342.19200300.100.1.3'],
    givenName: 'urn:oid:2.5.4.42',
    familyName: 'urn:oid:2.5.4.4',
  },
};

let idp: Pysaml2Idp | undefined;
let tenantId: string;

beforeAll(async () => {
  const started = await stack.staff.api('POST', '/api/staff/tenants', {
    kind: 'saml',
    orgName: 'Initech',
    adminEmails: 'it@initech.example',
    proposedDomains: ['initech.example'],
    connection,
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  tenantId = started.body.tenantId;
  await waitForStage(stack.staff, tenantId, 'configuring');
  // The customer's side of the metadata exchange: their IdP imports our SP metadata.
  const sp = await fetch(`${stack.env.baseUrl}/saml/${tenantId}/metadata`);
  expect(sp.status).toBe(200);
  idp = await startPysaml2Idp(await sp.text(), person);
});
afterAll(() => idp?.stop());

/** A browser for the tenancy; pysaml2 answers over HTTP, so nothing is issued in-process. */
const browserFor = (tid: string) =>
  new SsoBrowser(stack.env, {
    tenantId: tid,
    emulated: {
      issueSamlResponse: () => {
        throw new Error('the pysaml2 IdP answers over HTTP');
      },
    },
  });

/** Login route → pysaml2's SSO URL → its auto-post page, checked to target our ACS. */
async function pysaml2Answer(browser: SsoBrowser) {
  const { location } = await browser.startLogin('/');
  expect(location.startsWith(`${idp!.url}/sso?`), location).toBe(true);
  const answer = await idp!.answer(location);
  expect(answer.action).toBe(browser.acs);
  return answer;
}

test('onboarded from the metadata URL, a person signs in SP-initiated and is provisioned from pysaml2’s assertion', async () => {
  const fetched = await stack.staff.api('POST', `/api/staff/tenants/${tenantId}/fetch-idp-metadata`, { url: idp!.metadataUrl });
  expect(fetched.status, JSON.stringify(fetched.body)).toBe(200);
  await waitForStage(stack.staff, tenantId, 'testing');
  const tenant = (await TenantModel.findOne({ tenantId }).lean())!;
  expect(tenant.connection).toMatchObject({ kind: 'saml', nameIdFormat: 'persistent' });
  expect(tenant.saml).toMatchObject({ idpEntityId: idp!.entityId, ssoUrl: `${idp!.url}/sso`, signing: 'both' });

  const browser = browserFor(tenantId);
  const { samlResponse, relayState } = await pysaml2Answer(browser);
  const res = await finishPendingSignIn(browser, await browser.postAcs(samlResponse, relayState));
  expect(res.status, await res.clone().text()).toBe(303);
  expect(await browser.whoAmI()).toBe(person.email);
  const user = (await UserModel.findOne({ email: person.email }).lean())!;
  expect(user).toMatchObject({ kind: 'sso', status: 'active', tenantId, givenName: 'Ines', surname: 'Independent' });
  expect(await SsoIdentityModel.findOne({ userId: user._id }).lean()).toMatchObject({ tenantId, objectId: person.persistentId });
});

test('a pysaml2 response whose signed assertion was altered on the way is refused', async () => {
  const browser = browserFor(tenantId);
  const { samlResponse, relayState } = await pysaml2Answer(browser);
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  expect(xml).toContain(person.email);
  const tampered = Buffer.from(xml.replaceAll(person.email, 'mallory@initech.example')).toString('base64');
  const before = await accountSnapshot();
  const res = await browser.postAcs(tampered, relayState);
  expect(res.status).toBe(400);
  expect((await lastRejection())?.reason).toBe('signature-invalid');
  expect(await accountSnapshot()).toEqual(before);
  expect(await browser.whoAmI()).toBeUndefined();
});

test('a response pysaml2 signed for another service provider (wrong audience) is refused with its reason', async () => {
  const browser = browserFor(tenantId);
  const { location } = await browser.startLogin('/');
  const other = 'https://other-sp.example/saml';
  const { samlResponse, relayState } = await idp!.answer(`${location}&audience=${encodeURIComponent(other)}`);
  expect(Buffer.from(samlResponse, 'base64').toString('utf8')).toMatch(new RegExp(`<(\\w+:)?Audience>${other}</(\\w+:)?Audience>`));
  const before = await accountSnapshot();
  const res = await browser.postAcs(samlResponse, relayState);
  expect(res.status).toBe(400);
  const rejection = await lastRejection();
  expect(rejection?.reason).toBe('audience-mismatch');
  expect(rejection?.details).toMatchObject({ received: other });
  expect(await accountSnapshot()).toEqual(before);
  expect(await browser.whoAmI()).toBeUndefined();
});
