/**
 * A generic SAML (`saml` kind) onboarding: the start refuses inconsistent connection choices with
 * the field named; the metadata exchange by uploaded XML; a sign-in bound to a persistent NameID
 * through the settings staff chose (here answered by the Okta emulator as "some SAML IdP").
 */
import { expect, test } from 'vitest';
import { OktaApp, oktaUserId } from '../../emulator/okta/org';
import { SsoIdentityModel, TenantModel } from '../../lib/models';
import { finishPendingSignIn, SsoBrowser } from '../support/sso';
import { useStack } from '../support/stack';
import { waitForStage } from './support';

const stack = useStack({ entra: true, workers: true, staff: { email: 'sam@entrada.test', displayName: 'Sam Staff' } });

const connection = {
  signing: 'both',
  nameIdFormat: 'persistent',
  claims: { subject: { from: 'nameid' }, subjectCase: 'exact', email: ['email'], givenName: 'firstName', familyName: 'lastName' },
};

test('generic SAML: choices validated at start, metadata uploaded, a persistent NameID is the subject', async () => {
  const start = (body: Record<string, unknown>) =>
    stack.staff.api('POST', '/api/staff/tenants', {
      kind: 'saml',
      orgName: 'Fabrikam',
      adminEmails: 'it@fabrikam.example',
      proposedDomains: ['fabrikam.example'],
      ...body,
    });
  const refused = await start({ connection: { ...connection, claims: { ...connection.claims, email: [] } } });
  expect(refused.status).toBe(400);
  expect(refused.body.error.details).toEqual({ field: 'connection.claims.email' });

  const started = await start({ connection });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const tid: string = started.body.tenantId;
  await waitForStage(stack.staff, tid, 'configuring');

  const idp = new OktaApp(() => 'https://idp.fabrikam.example', { nameId: 'persistent' });
  const uploaded = await stack.staff.api('POST', `/api/staff/tenants/${tid}/upload-metadata`, { xml: idp.metadataXml() });
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
  await waitForStage(stack.staff, tid, 'testing');
  expect((await TenantModel.findOne({ tenantId: tid }).lean())!.connection).toMatchObject({ kind: 'saml', nameIdFormat: 'persistent' });

  const person = idp.addUser({ email: 'fay@fabrikam.example' });
  const browser = new SsoBrowser(stack.env, { tenantId: tid, emulated: idp });
  const res = await finishPendingSignIn(browser, await browser.signIn('fay@fabrikam.example'));
  expect(res.status, await res.clone().text()).toBe(303);
  expect(await browser.whoAmI()).toBe('fay@fabrikam.example');
  expect(await SsoIdentityModel.findOne({ tenantId: tid }).lean()).toMatchObject({ objectId: oktaUserId(person) });
});
