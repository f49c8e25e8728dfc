/**
 * Sign-in through an Okta-kind connection, against the Okta emulator: the AuthnRequest asks for
 * the app's NameID format, the account is bound to (tenancy, Okta user ID) and filled from Okta's
 * attribute statements, a recreated Okta user (same email, new user ID) gets a fresh account,
 * IdP-initiated sign-in works where the tenancy accepts it, and one connection's assertion is
 * refused at another's ACS.
 */
import { inflateRawSync } from 'node:zlib';
import { beforeAll, expect, test } from 'vitest';
import { oktaUserId } from '../../emulator/okta/org';
import { SsoIdentityModel, TenantModel, UserModel } from '../../lib/models';
import { accountSnapshot, lastRejection } from '../sso/support';
import { connectOktaTenant, type OktaTenant } from '../support/okta';
import { connectTenant, finishPendingSignIn, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ config: { MIGRATION_ACS_WAIT: '2s' }, entra: true, workers: true });
let acme: OktaTenant;
let globex: OktaTenant;
let entra: SsoTenant;

beforeAll(async () => {
  entra = await connectTenant(stack, { domains: ['contoso.example'] });
  acme = await connectOktaTenant({ name: 'Acme', domains: ['acme.example'] });
  globex = await connectOktaTenant({ name: 'Globex', domains: ['globex.example'], nameId: 'persistent' });
});

async function signedInAs(browser: SsoBrowser, email: string) {
  const res = await finishPendingSignIn(browser, await browser.signIn(email));
  expect(res.status, await res.clone().text()).toBe(303);
  expect(await browser.whoAmI()).toBe(email);
  return (await UserModel.findOne({ email }).lean())!;
}

test('SP-initiated sign-in goes to the Okta app asking for its NameID format', async () => {
  const { location } = await new SsoBrowser(stack.env, acme).startLogin();
  expect(location.startsWith(acme.emulated.ssoUrl())).toBe(true);
  const xml = inflateRawSync(Buffer.from(new URL(location).searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  expect(xml).toContain('Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"');
});

test('first sign-in provisions an SSO account bound to the Okta user ID, named from firstName/lastName', async () => {
  const okta = acme.emulated.addUser({
    email: 'Olga@acme.example',
    givenName: 'Olga',
    surname: 'Okta',
    groups: ['Everyone', 'Engineering'],
  });
  const user = await signedInAs(new SsoBrowser(stack.env, acme), 'olga@acme.example');
  expect(user).toMatchObject({ kind: 'sso', status: 'active', tenantId: acme.tenantId, givenName: 'Olga', surname: 'Okta' });
  const identity = await SsoIdentityModel.findOne({ userId: user._id }).lean();
  expect(identity).toMatchObject({ tenantId: acme.tenantId, objectId: oktaUserId(okta), nameId: 'Olga@acme.example' });

  // Returning: the same account, found by the binding.
  expect(String((await signedInAs(new SsoBrowser(stack.env, acme), 'olga@acme.example'))._id)).toBe(String(user._id));
});

test('a persistent NameID is the stable subject when the app sends one', async () => {
  const okta = globex.emulated.addUser({ email: 'pat@globex.example' });
  const user = await signedInAs(new SsoBrowser(stack.env, globex), 'pat@globex.example');
  expect(await SsoIdentityModel.findOne({ userId: user._id }).lean()).toMatchObject({
    objectId: oktaUserId(okta),
    nameId: oktaUserId(okta),
  });
});

test('a recreated Okta user (same email, new user ID) gets a fresh, empty account after the old one is deleted', async () => {
  acme.emulated.addUser({ email: 'rita@acme.example' });
  const old = await signedInAs(new SsoBrowser(stack.env, acme), 'rita@acme.example');
  const recreated = acme.emulated.recreateUser('rita@acme.example');
  const fresh = await signedInAs(new SsoBrowser(stack.env, acme), 'rita@acme.example');
  expect(String(fresh._id)).not.toBe(String(old._id));
  expect(await UserModel.findById(old._id).lean()).toMatchObject({ status: 'deleted' });
  const identity = await SsoIdentityModel.findOne({ tenantId: acme.tenantId, objectId: oktaUserId(recreated) }).lean();
  expect(String(identity?.userId)).toBe(String(fresh._id));
});

test('IdP-initiated (the Okta dashboard tile) signs in once the tenancy accepts it', async () => {
  acme.emulated.addUser({ email: 'ida@acme.example' });
  const browser = new SsoBrowser(stack.env, acme);
  const launch = () =>
    acme.emulated.issueSamlResponse({
      email: 'ida@acme.example',
      acsUrl: browser.acs,
      audience: `${stack.env.baseUrl}/saml/${acme.tenantId}`,
    });
  expect((await browser.postAcs(launch().samlResponse)).status).toBe(400);
  expect((await lastRejection())?.reason).toBe('in-response-to-missing');

  await TenantModel.updateOne({ tenantId: acme.tenantId }, { $set: { allowIdpInitiated: true }, $inc: { configVersion: 1 } });
  const acs = await browser.postAcs(launch().samlResponse);
  expect(acs.status, await acs.clone().text()).toBe(303);
  const held = acs.headers.get('location')!;
  expect(held).toMatch(new RegExp(`^/saml/${acme.tenantId}/idp/`));
  expect((await browser.http.get(held, { redirect: 'manual' })).status).toBe(303);
  expect(await browser.whoAmI()).toBe('ida@acme.example');
});

test.each([
  ['another Okta app', () => globex.emulated],
  ['an Entra tenant', () => entra.emulated],
])('an assertion from %s posted to this connection’s ACS is refused', async (_name, from) => {
  const victim = 'victor@acme.example';
  const source = from();
  for (const idp of [acme.emulated, source]) if (!idp.findUser(victim)) idp.addUser({ email: victim });
  const browser = new SsoBrowser(stack.env, acme);
  const { requestId } = await browser.startLogin();
  const before = await accountSnapshot();
  // The other IdP signs a response naming this SP's ACS and audience: right shape, wrong signer.
  const { samlResponse } = source.issueSamlResponse({
    email: victim,
    acsUrl: browser.acs,
    audience: `${stack.env.baseUrl}/saml/${acme.tenantId}`,
    inResponseTo: requestId,
  });
  const res = await browser.postAcs(samlResponse);
  expect(res.status).toBe(400);
  expect((await lastRejection())?.reason).toBe('issuer-mismatch');
  expect(await accountSnapshot()).toEqual(before);
});
