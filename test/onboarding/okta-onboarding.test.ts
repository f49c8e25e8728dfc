/**
 * An Okta-kind tenancy onboarded end to end on the real stack: started without a tenant ID (it
 * gets an organisation ID of ours), a metadata exchange instead of admin consent (the app's
 * IdP metadata fetched from its URL), the same testing checklist ticked by real sign-ins through
 * the Okta emulator (provisioning, a standard user migrated, a recreated Okta user), go-live.
 */
import { beforeAll, expect, test, vi } from 'vitest';
import type { OktaApp } from '../../emulator/okta/org';
import { oktaSettings } from '../../lib/idp/presets';
import { AuditEventModel, TenantModel, UserModel } from '../../lib/models';
import type { ConnectionState } from '../../lib/contracts/connection';
import type { OnboardingState } from '../../lib/contracts/onboarding-state';
import { createUser } from '../support/people';
import { Inbox, type ReceivedEmail } from '../../scripts/lib/inbox';
import { finishPendingSignIn, SsoBrowser } from '../support/sso';
import { useStack } from '../support/stack';
import { waitForStage, waitForState } from './support';

const stack = useStack({ entra: true, workers: true, staff: { email: 'sam@entrada.test', displayName: 'Sam Staff' } });
let okta: OktaApp;
let metadataUrl: string;

beforeAll(() => {
  // The app's "Identity Provider metadata" link, served by the Okta emulator at Okta's path.
  okta = stack.entra.emulator.createOktaApp({ name: 'Initech' });
  metadataUrl = okta.metadataUrl();
});

test('Okta: metadata exchange → testing by real sign-ins → live, a standard user migrated', async () => {
  const started = await stack.staff.api('POST', '/api/staff/tenants', {
    kind: 'okta',
    orgName: 'Initech',
    adminEmails: 'it@initech.example',
    proposedDomains: ['initech.example'],
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const tid: string = started.body.tenantId;
  expect(tid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

  // No admin consent: the metadata exchange waits in configuring.
  let state = await waitForStage(stack.staff, tid, 'configuring');
  expect(state.timeline.map((e) => e.event).join('\n')).toContain('Metadata exchange (okta)');
  expect(state.consent.sentRound).toBe(0);
  expect((await TenantModel.findOne({ tenantId: tid }).lean())!.connection).toMatchObject({ kind: 'okta' });

  // The customer's admin is told what to set up in Okta with our values, and gets a portal link.
  const toAdmin = (subject: string) => (m: ReceivedEmail) => m.to.includes('it@initech.example') && m.subject.startsWith(subject);
  const exchange = await stack.env.inbox.waitFor(toAdmin('Action needed: connect Initech'));
  expect(exchange.text).toContain(`Single sign-on URL: ${stack.env.baseUrl}/saml/${tid}/acs`);
  expect(exchange.text).toContain(`Audience URI (SP Entity ID): ${stack.env.baseUrl}/saml/${tid}`);
  expect(Inbox.link(exchange, `/saml/${tid}/metadata`)).toBe(`${stack.env.baseUrl}/saml/${tid}/metadata`);
  expect(
    Inbox.link(
      await stack.env.inbox.waitFor((m) => m.to.includes('it@initech.example') && m.text.includes('/portal/invite/')),
      '/portal/invite/',
    ),
  ).toMatch(/\/portal\/invite\/\S+$/);

  // Entra's metadata fetch is not for this kind; a URL that answers 404 is refused and changes nothing.
  expect((await stack.staff.api('POST', `/api/staff/tenants/${tid}/fetch-metadata`, {})).status).toBe(400);
  const missing = await stack.staff.api('POST', `/api/staff/tenants/${tid}/fetch-idp-metadata`, { url: `${metadataUrl}/nope` });
  expect(missing.status, JSON.stringify(missing.body)).toBe(422);

  const fetched = await stack.staff.api('POST', `/api/staff/tenants/${tid}/fetch-idp-metadata`, { url: metadataUrl });
  expect(fetched.status, JSON.stringify(fetched.body)).toBe(200);
  state = await waitForStage(stack.staff, tid, 'testing');
  expect(state.saml).toMatchObject({ idpEntityId: okta.issuer, ssoUrl: okta.ssoUrl(), source: 'url' });
  const tenant = (await TenantModel.findOne({ tenantId: tid }).lean())!;
  expect(tenant.saml).toMatchObject({ idpEntityId: okta.issuer, signing: 'both' });
  expect(tenant.connection).toMatchObject({ kind: 'okta', nameIdFormat: 'email', ssoBinding: 'redirect' });

  const sso = new SsoBrowser(stack.env, { emulated: okta, tenantId: tid });
  const signIn = async (email: string) => {
    const res = await finishPendingSignIn(sso, await sso.signIn(email));
    expect(res.status, await res.clone().text()).toBe(303);
  };
  const ticked = (item: string) => (s: OnboardingState) => s.checklist.find((e) => e.item === item)!.evidence.length > 0;

  okta.addUser({ email: 'peter@initech.example', givenName: 'Peter', surname: 'Gibbons' });
  await signIn('peter@initech.example');
  await waitForState(stack.staff, tid, ticked('auto-provisioning'), 'auto-provisioning evidence');

  const milton = await createUser({ email: 'milton@initech.example', displayName: 'Milton' });
  okta.addUser({ email: 'milton@initech.example' });
  await signIn('milton@initech.example');
  await waitForState(stack.staff, tid, ticked('account-migration'), 'account-migration evidence');
  expect(await UserModel.findById(milton._id).lean()).toMatchObject({ kind: 'sso', status: 'active', tenantId: tid });

  okta.recreateUser('peter@initech.example');
  await signIn('peter@initech.example');
  await waitForState(stack.staff, tid, (s) => s.stage === 'awaiting-go-live', 'awaiting-go-live', 60_000);

  const live = await stack.staff.api('POST', `/api/staff/tenants/${tid}/go-live`, {});
  expect(live.status, JSON.stringify(live.body)).toBe(200);
  expect(live.body.result.goLive.missingAtApproval).toEqual([]);
  expect((await TenantModel.findOne({ tenantId: tid }).lean())!.stage).toBe('live');

  // After go-live the connection re-reads the IdP's metadata from the same URL, not from Entra.
  const refreshed = await vi.waitFor(
    async () => {
      const res = await stack.staff.api('POST', `/api/staff/tenants/${tid}/connection/refresh`, {});
      if (res.status !== 200) throw new Error(JSON.stringify(res.body));
      return res.body.result as ConnectionState;
    },
    { timeout: 15_000, interval: 300 },
  );
  expect(refreshed.lastRefresh).toMatchObject({ outcome: 'ok', trigger: 'staff' });
  expect(refreshed.health).toBe('healthy');

  // Changing the live connection's settings: an audited Update on its workflow, refused whole
  // when inconsistent, the previous settings kept and restorable.
  const connectionAction = (action: string, body: unknown) =>
    stack.staff.api('POST', `/api/staff/tenants/${tid}/connection/${action}`, body);
  const current = oktaSettings({
    idpEntityId: okta.issuer,
    ssoUrl: okta.ssoUrl(),
    certificates: okta.signingCertificates().map((c) => c.certPem),
  });
  const bad = await connectionAction('settings', {
    settings: { ...current, certificates: [] },
    reason: 'Rotate to the new Okta certificate',
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toContain('certificates');
  const renamed = { ...current, claims: { ...current.claims, groups: 'memberOf' } };
  const changed = await connectionAction('settings', { settings: renamed, reason: 'Okta group statement renamed to memberOf' });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  let stored = (await TenantModel.findOne({ tenantId: tid }).lean())!;
  expect(stored.connection!.claims.groups).toBe('memberOf');
  expect(stored.connection!.previous.claims.groups).toBe('groups');
  expect(await AuditEventModel.findOne({ action: 'sso.connection.settings-changed', tenantId: tid }).lean()).toMatchObject({
    actor: { kind: 'staff', email: 'sam@entrada.test' },
    details: { reason: 'Okta group statement renamed to memberOf' },
  });
  const rolledBack = await connectionAction('roll-back-settings', { reason: 'The customer did not rename the statement after all' });
  expect(rolledBack.status, JSON.stringify(rolledBack.body)).toBe(200);
  stored = (await TenantModel.findOne({ tenantId: tid }).lean())!;
  expect(stored.connection!.claims.groups).toBe('groups');
  expect(await AuditEventModel.countDocuments({ action: 'sso.connection.settings-rolled-back', tenantId: tid })).toBe(1);
  await signIn('milton@initech.example');
});
