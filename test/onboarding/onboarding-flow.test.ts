/**
 * A tenant from `requested` to `live` on the real Temporal dev server, MongoDB and SMTP,
 * through the Entra emulator's real admin-consent redirect and federation metadata.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { tenantForEmailDomain } from '../../lib/domains';
import { reportTestEvidence } from '../../lib/onboarding-evidence';
import { AuditEventModel, SsoDomainModel, TenantModel } from '../../lib/models';
import { MANDATORY_TEST_ITEMS, OnboardingStageKey, onboardingWorkflowId } from '../../workflows/shared';
import { createUser, signedIn } from '../accounts/helpers';
import { createTestEnv, type TestEnv } from '../support/env';
import { HttpClient } from '../support/http-client';
import { consentLink, decideConsent, evidence, startEntra, waitForStage, type Entra } from './support';

let entra: Entra;
let env: TestEnv;
let staff: HttpClient;

beforeAll(async () => {
  entra = await startEntra();
  env = await createTestEnv({ ENTRA_LOGIN_BASE_URL: entra.url });
  await env.startWorkers();
  await env.startWeb();
  await createUser({ email: 'sam@entrada.test', isStaff: true, displayName: 'Sam Staff' });
  staff = await signedIn(env.baseUrl, 'sam@entrada.test');
});
afterAll(async () => {
  await env?.teardown();
  await entra?.close();
});

test('requested → live: consent by the real redirect, metadata from Entra, evidence ticks the checklist, staff approve', async () => {
  const t = entra.emulator.createTenant({ name: 'Contoso' });
  const tid = t.tenantId;
  const callbackUrl = `${env.baseUrl}/onboarding/consent/callback`;

  const started = await staff.api('POST', '/api/staff/tenants', {
    tenantId: tid.toUpperCase(),
    orgName: 'Contoso Ltd',
    adminEmails: 'it@contoso.example, CIO@contoso.example',
    proposedDomains: ['contoso.example'],
  });
  expect(started).toEqual({ status: 201, body: { tenantId: tid, workflowId: `onboard-${tid}` } });

  // The admins get one branded email with the consent link and what to set up in Entra.
  const email = await env.inbox.waitFor((m) => m.subject === 'Action needed: approve Entrada sign-in for Contoso Ltd');
  expect(email.to).toEqual(['it@contoso.example', 'cio@contoso.example']);
  expect(email.text).toContain(`Identifier (Entity ID): ${env.baseUrl}/saml/${tid}`);
  expect(email.text).toContain(`Reply URL (Assertion Consumer Service URL): ${env.baseUrl}/saml/${tid}/acs`);
  expect(email.html).toContain('Review and grant consent');
  const link = consentLink(email, entra, tid, env.config.ENTRA_CLIENT_ID, callbackUrl);
  await waitForStage(staff, tid, 'awaiting-consent');

  // Evidence outside the test period is not evidence; unknown tenants are not an error.
  await reportTestEvidence(env.temporal, tid, evidence('auto-provisioning', 'early@contoso.example'));
  await reportTestEvidence(env.temporal, '0b1c7f56-3a55-4c3e-9f0e-5a4c3f1e2d10', evidence('auto-provisioning', 'x@y.example'));

  // The admin accepts in Entra (the emulator) and lands on our callback page.
  const callback = await decideConsent(link, 'accept');
  expect(callback.startsWith(`${callbackUrl}?admin_consent=True&tenant=${tid}&state=`)).toBe(true);
  const admin = new HttpClient(env.baseUrl);
  expect((await admin.get(callback)).status).toBe(200);
  expect(admin.lastHtml).toContain('Thank you: consent recorded');
  expect(((await (await fetch(`${entra.url}/_admin/tenants/${tid}`)).json()) as { consents: string[] }).consents).toEqual([env.config.ENTRA_CLIENT_ID]);

  // Consent → configuring → metadata fetched from the emulator → testing, proposed domain claimed.
  let state = await waitForStage(staff, tid, 'testing');
  expect(state.saml).toMatchObject({ idpEntityId: `https://sts.windows.net/${tid}/`, ssoUrl: `${entra.url}/${tid}/saml2`, source: 'entra' });
  expect(state.saml!.certificates.map((c) => c.thumbprint)).toEqual(t.signingCertificates().map((c) => c.thumbprint));
  expect(state.domains).toEqual(['contoso.example']);
  expect(state.checklist.every((e) => e.evidence.length === 0)).toBe(true);
  expect(entra.metadataRequests).toEqual([`/${tid}/federationmetadata/2007-06/federationmetadata.xml`]);
  const tenant = await TenantModel.findOne({ tenantId: tid }).lean();
  expect(tenant).toMatchObject({ name: 'Contoso Ltd', stage: 'testing', domains: ['contoso.example'], consentGrantedAt: expect.any(Date) });
  expect(tenant!.saml).toMatchObject({ idpEntityId: `https://sts.windows.net/${tid}/`, ssoUrl: `${entra.url}/${tid}/saml2` });
  expect(tenant!.saml!.certificates[0].pem).toContain('-----BEGIN CERTIFICATE-----');
  expect(tenant!.configVersion).toBeGreaterThan(3);
  expect(await tenantForEmailDomain('someone@contoso.example')).toBeUndefined(); // not enforced before go-live

  // Go-live is refused with the list of what is missing.
  const refused = await staff.api('POST', `/api/staff/tenants/${tid}/go-live`, {});
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toMatch(/^go-live refused: no evidence yet for auto-provisioning, account-migration, account-recreation/);
  expect(refused.body.error.details).toEqual({ missing: ['auto-provisioning', 'account-migration', 'account-recreation'] });

  // Real events (here: their signals, as the SSO/migration/deletion code sends them) tick the items.
  const cited = await AuditEventModel.create({ action: 'sso.provision', outcome: 'success', actor: { kind: 'user', email: 'new@contoso.example' }, tenantId: tid, at: new Date() });
  for (const item of MANDATORY_TEST_ITEMS) await reportTestEvidence(env.temporal, tid, evidence(item, `${item}@contoso.example`, [cited.id]));
  state = await waitForStage(staff, tid, 'awaiting-go-live');
  expect(state.checklist.filter((e) => e.mandatory).map((e) => e.evidence.map((ev) => ev.email))).toEqual([
    ['auto-provisioning@contoso.example'],
    ['account-migration@contoso.example'],
    ['account-recreation@contoso.example'],
  ]);

  const live = await staff.api('POST', `/api/staff/tenants/${tid}/go-live`, {});
  expect(live.status, JSON.stringify(live.body)).toBe(200);
  expect(live.body.result).toMatchObject({ stage: 'live', goLive: { approvedBy: 'sam@entrada.test', missingAtApproval: [] } });
  expect(await TenantModel.findOne({ tenantId: tid }).lean()).toMatchObject({ stage: 'live', liveAt: expect.any(Date), domains: ['contoso.example'] });
  expect((await tenantForEmailDomain('Someone@CONTOSO.example'))?.tenantId).toBe(tid);
  expect((await SsoDomainModel.find({ tenantId: tid }).lean()).map((d) => d.domain)).toEqual(['contoso.example']);

  const goLiveEmail = await env.inbox.waitFor((m) => m.subject === 'Contoso Ltd is live on Entrada single sign-on');
  expect(goLiveEmail.to).toEqual(['it@contoso.example', 'cio@contoso.example']);
  expect(goLiveEmail.text).toContain('contoso.example');

  // Visible in Temporal: search attribute, completed run, and in the staff console list + report.
  const handle = env.temporal.workflow.getHandle(onboardingWorkflowId(tid));
  expect((await handle.result()).stage).toBe('live');
  const description = await handle.describe();
  expect(description.status.name).toBe('COMPLETED');
  expect(description.typedSearchAttributes.get(OnboardingStageKey)).toBe('live');
  const report = await staff.api('GET', `/api/staff/tenants/${tid}/report`);
  expect(report.body.checklist.filter((e: { ticked: boolean }) => e.ticked).map((e: { item: string }) => e.item)).toEqual([...MANDATORY_TEST_ITEMS]);
  expect(report.body.auditEvents.map((a: { id: string }) => a.id)).toEqual([cited.id]);
  const list = await staff.api('GET', '/api/staff/tenants');
  expect(list.body.tenants.find((r: { tenantId: string }) => r.tenantId === tid)).toMatchObject({ name: 'Contoso Ltd', stage: 'live', temporalUrl: expect.stringContaining(`/namespaces/${env.namespace}/workflows/onboard-${tid}/`) });
  expect(state.timeline.map((e) => e.stage).filter(Boolean)).toEqual(['requested', 'awaiting-consent', 'configuring', 'testing', 'awaiting-go-live']);

  // A finished onboarding takes no more actions, and late evidence is simply not evidence.
  expect((await staff.api('POST', `/api/staff/tenants/${tid}/cancel`, { reason: 'changed our mind entirely' })).status).toBe(409);
  await reportTestEvidence(env.temporal, tid, evidence('group-gate', 'late@contoso.example'));
  // Each email went out once.
  expect(env.inbox.messages.filter((m) => m.subject.startsWith('Action needed'))).toHaveLength(1);
});
