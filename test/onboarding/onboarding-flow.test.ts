/**
 * A tenant from `requested` to `live` on the real Temporal dev server, MongoDB and SMTP,
 * through the Entra emulator's real admin-consent redirect and federation metadata.
 */
import { expect, test } from 'vitest';
import { tenantForEmailDomain } from '../../lib/sso/domains';
import { reportTestEvidence } from '../../lib/onboarding/evidence';
import { AuditEventModel, SsoDomainModel, TenantModel } from '../../lib/models';
import { MANDATORY_TEST_ITEMS, OnboardingStageKey, onboardingWorkflowId } from '../../lib/contracts/shared';
import { HttpClient } from '../support/http-client';
import type { OnboardingState } from '../../lib/contracts/onboarding-state';
import { consentLink, decideConsent, evidence, onboardToTesting, waitForStage, waitForState } from './support';
import { createUser } from '../support/people';
import { finishPendingSignIn, SsoBrowser } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ entra: true, workers: true, staff: { email: 'sam@entrada.test', displayName: 'Sam Staff' } });

test('requested → live: consent by the real redirect, metadata from Entra, evidence ticks the checklist, staff approve', async () => {
  const t = stack.entra.emulator.createTenant({ name: 'Contoso' });
  const tid = t.tenantId;
  const callbackUrl = `${stack.env.baseUrl}/onboarding/consent/callback`;

  const started = await stack.staff.api('POST', '/api/staff/tenants', {
    tenantId: tid.toUpperCase(),
    orgName: 'Contoso Ltd',
    adminEmails: 'it@contoso.example, CIO@contoso.example',
    proposedDomains: ['contoso.example'],
  });
  expect(started).toEqual({ status: 201, body: { tenantId: tid, workflowId: `onboard-${tid}` } });

  // The admins get one branded email with the consent link and what to set up in Entra.
  const email = await stack.env.inbox.waitFor((m) => m.subject === 'Action needed: approve Entrada sign-in for Contoso Ltd');
  expect(email.to).toEqual(['it@contoso.example', 'cio@contoso.example']);
  expect(email.text).toContain(`Identifier (Entity ID): ${stack.env.baseUrl}/saml/${tid}`);
  expect(email.text).toContain(`Reply URL (Assertion Consumer Service URL): ${stack.env.baseUrl}/saml/${tid}/acs`);
  expect(email.html).toContain('Review and grant consent');
  const link = consentLink(email, stack.entra, tid, stack.env.config.ENTRA_CLIENT_ID, callbackUrl);
  await waitForStage(stack.staff, tid, 'awaiting-consent');

  // Evidence outside the test period is not evidence; unknown tenants are not an error.
  await reportTestEvidence(stack.env.temporal, tid, evidence('auto-provisioning', 'early@contoso.example'));
  await reportTestEvidence(stack.env.temporal, '0b1c7f56-3a55-4c3e-9f0e-5a4c3f1e2d10', evidence('auto-provisioning', 'x@y.example'));

  // The admin accepts in Entra (the emulator) and lands on our callback page.
  const callback = await decideConsent(link, 'accept');
  expect(callback.startsWith(`${callbackUrl}?admin_consent=True&tenant=${tid}&state=`)).toBe(true);
  const admin = new HttpClient(stack.env.baseUrl);
  expect((await admin.get(callback)).status).toBe(200);
  expect(admin.lastHtml).toContain('Thank you: consent recorded');
  expect(((await (await fetch(`${stack.entra.url}/_admin/tenants/${tid}`)).json()) as { consents: string[] }).consents).toEqual([
    stack.env.config.ENTRA_CLIENT_ID,
  ]);

  // Consent → configuring → metadata fetched from the emulator → testing, proposed domain claimed.
  let state = await waitForStage(stack.staff, tid, 'testing');
  expect(state.saml).toMatchObject({
    idpEntityId: `https://sts.windows.net/${tid}/`,
    ssoUrl: `${stack.entra.url}/${tid}/saml2`,
    source: 'entra',
  });
  expect(state.saml!.certificates.map((c) => c.thumbprint)).toEqual(t.signingCertificates().map((c) => c.thumbprint));
  expect(state.domains).toEqual(['contoso.example']);
  expect(state.checklist.every((e) => e.evidence.length === 0)).toBe(true);
  expect(stack.entra.metadataRequests).toEqual([`/${tid}/federationmetadata/2007-06/federationmetadata.xml`]);
  const tenant = await TenantModel.findOne({ tenantId: tid }).lean();
  expect(tenant).toMatchObject({ name: 'Contoso Ltd', stage: 'testing', domains: ['contoso.example'], consentGrantedAt: expect.any(Date) });
  expect(tenant!.saml).toMatchObject({ idpEntityId: `https://sts.windows.net/${tid}/`, ssoUrl: `${stack.entra.url}/${tid}/saml2` });
  expect(tenant!.saml!.certificates[0].pem).toContain('-----BEGIN CERTIFICATE-----');
  expect(tenant!.configVersion).toBeGreaterThan(3);
  expect(await tenantForEmailDomain('someone@contoso.example')).toBeUndefined(); // not enforced before go-live
  // The SP metadata the console links to, for the customer's Entra enterprise app.
  const spMetadata = await fetch(`${stack.env.baseUrl}/saml/${tid}/metadata`);
  expect(spMetadata.status).toBe(200);
  const spXml = await spMetadata.text();
  expect(spXml).toContain(`entityID="${stack.env.baseUrl}/saml/${tid}"`);
  expect(spXml).toContain(`Location="${stack.env.baseUrl}/saml/${tid}/acs"`);

  // Go-live is refused with the list of what is missing.
  const refused = await stack.staff.api('POST', `/api/staff/tenants/${tid}/go-live`, {});
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toMatch(
    /^go-live refused: no evidence yet for auto-provisioning, account-migration, account-recreation/,
  );
  expect(refused.body.error.details).toEqual({ missing: ['auto-provisioning', 'account-migration', 'account-recreation'] });

  // Real events (here: their signals, as the SSO/migration/deletion code sends them) tick the items.
  const cited = await AuditEventModel.create({
    action: 'sso.provision',
    outcome: 'success',
    actor: { kind: 'user', email: 'new@contoso.example' },
    tenantId: tid,
    at: new Date(),
  });
  for (const item of MANDATORY_TEST_ITEMS)
    await reportTestEvidence(stack.env.temporal, tid, evidence(item, `${item}@contoso.example`, [cited.id]));
  state = await waitForStage(stack.staff, tid, 'awaiting-go-live');
  expect(state.checklist.filter((e) => e.mandatory).map((e) => e.evidence.map((ev) => ev.email))).toEqual([
    ['auto-provisioning@contoso.example'],
    ['account-migration@contoso.example'],
    ['account-recreation@contoso.example'],
  ]);

  const live = await stack.staff.api('POST', `/api/staff/tenants/${tid}/go-live`, {});
  expect(live.status, JSON.stringify(live.body)).toBe(200);
  expect(live.body.result).toMatchObject({ stage: 'live', goLive: { approvedBy: 'sam@entrada.test', missingAtApproval: [] } });
  expect(await TenantModel.findOne({ tenantId: tid }).lean()).toMatchObject({
    stage: 'live',
    liveAt: expect.any(Date),
    domains: ['contoso.example'],
  });
  expect((await tenantForEmailDomain('Someone@CONTOSO.example'))?.tenantId).toBe(tid);
  expect((await SsoDomainModel.find({ tenantId: tid }).lean()).map((d) => d.domain)).toEqual(['contoso.example']);

  const goLiveEmail = await stack.env.inbox.waitFor((m) => m.subject === 'Contoso Ltd is live on Entrada single sign-on');
  expect(goLiveEmail.to).toEqual(['it@contoso.example', 'cio@contoso.example']);
  expect(goLiveEmail.text).toContain('contoso.example');

  // Visible in Temporal: search attribute, completed run, and in the staff console list + report.
  const handle = stack.env.temporal.workflow.getHandle(onboardingWorkflowId(tid));
  expect((await handle.result()).stage).toBe('live');
  const description = await handle.describe();
  expect(description.status.name).toBe('COMPLETED');
  expect(description.typedSearchAttributes.get(OnboardingStageKey)).toBe('live');
  const report = await stack.staff.api('GET', `/api/staff/tenants/${tid}/report`);
  expect(report.body.checklist.filter((e: { ticked: boolean }) => e.ticked).map((e: { item: string }) => e.item)).toEqual([
    ...MANDATORY_TEST_ITEMS,
  ]);
  expect(report.body.auditEvents.map((a: { id: string }) => a.id)).toEqual([cited.id]);
  const list = await stack.staff.api('GET', '/api/staff/tenants');
  expect(list.body.tenants.find((r: { tenantId: string }) => r.tenantId === tid)).toMatchObject({
    name: 'Contoso Ltd',
    stage: 'live',
    temporalUrl: expect.stringContaining(`/namespaces/${stack.env.namespace}/workflows/onboard-${tid}/`),
  });
  expect(state.timeline.map((e) => e.stage).filter(Boolean)).toEqual([
    'requested',
    'awaiting-consent',
    'configuring',
    'testing',
    'awaiting-go-live',
  ]);

  // A finished onboarding takes no more actions, and late evidence is simply not evidence.
  expect((await stack.staff.api('POST', `/api/staff/tenants/${tid}/cancel`, { reason: 'changed our mind entirely' })).status).toBe(409);
  await reportTestEvidence(stack.env.temporal, tid, evidence('group-gate', 'late@contoso.example'));
  // Each email went out once.
  expect(stack.env.inbox.messages.filter((m) => m.subject.startsWith('Action needed'))).toHaveLength(1);
});

test('staff tick items with a reason, nominate and remove domains (validated), and override missing evidence at go-live', async () => {
  const tid = await onboardToTesting(stack, { name: 'Fabrikam', admin: 'it@fabrikam.example', domains: ['fabrikam.example'] });
  const act = (action: string, body: Record<string, unknown>) => stack.staff.api('POST', `/api/staff/tenants/${tid}/${action}`, body);
  const error = async (action: string, body: Record<string, unknown>) => {
    const res = await act(action, body);
    return [res.status, res.body.error?.message];
  };

  let state = (await stack.staff.api('GET', `/api/staff/tenants/${tid}`)).body.state;
  expect(state.domains).toEqual(['fabrikam.example']);

  // Bad input is refused with the reason, and changes nothing.
  expect(await error('nominate-domain', { domain: 'gmail.com' })).toEqual([
    400,
    '"gmail.com" is a public mail domain (gmail.com); only a domain the organisation owns can be an SSO domain',
  ]);
  expect(await error('nominate-domain', { domain: 'outlook.com' })).toEqual([400, expect.stringContaining('public mail domain')]);
  expect(await error('nominate-domain', { domain: 'not a domain' })).toEqual([
    400,
    '"not a domain" is not a valid domain name (use the punycode form for international names)',
  ]);
  expect(await error('nominate-domain', { domain: 'contoso.example' })).toEqual([
    409,
    expect.stringMatching(/^contoso\.example is already claimed by another tenant/),
  ]);
  expect(await error('nominate-domain', { domain: 'Fabrikam.example' })).toEqual([409, 'fabrikam.example is already nominated']);
  expect(await error('remove-domain', { domain: 'other.example' })).toEqual([
    400,
    '"other.example" is not a nominated domain of this tenant',
  ]);
  expect(await error('tick-test-item', { item: 'auto-provisioning', reason: 'ok' })).toEqual([
    400,
    'Ticking a test item by hand: write a reason of at least 10 characters',
  ]);
  expect(await error('tick-test-item', { item: 'made-up', reason: 'a perfectly long reason' })).toEqual([
    400,
    'unknown test item "made-up"',
  ]);
  expect(await error('reissue-consent', {})).toEqual([
    409,
    'Re-issuing the consent link is possible only in awaiting-consent or consent-expired; the onboarding is in "testing"',
  ]);
  expect(await error('go-live', { overrideReason: 'short' })).toEqual([
    400,
    'Overriding missing test evidence: write a reason of at least 10 characters',
  ]);
  expect(await error('no-such-action', {})).toEqual([404, 'Unknown action "no-such-action".']);
  state = (await stack.staff.api('GET', `/api/staff/tenants/${tid}`)).body.state;
  expect(state.domains).toEqual(['fabrikam.example']);
  expect(state.checklist.every((e: { evidence: unknown[] }) => e.evidence.length === 0)).toBe(true);

  // Domains: nominate another, remove it again (the claim is released for others).
  expect((await act('nominate-domain', { domain: 'EU.Fabrikam.example' })).body.result).toEqual([
    'fabrikam.example',
    'eu.fabrikam.example',
  ]);
  expect(await SsoDomainModel.exists({ domain: 'eu.fabrikam.example', tenantId: tid })).toBeTruthy();
  expect((await act('remove-domain', { domain: 'eu.fabrikam.example' })).body.result).toEqual(['fabrikam.example']);
  expect(await SsoDomainModel.exists({ domain: 'eu.fabrikam.example' })).toBeNull();
  expect((await TenantModel.findOne({ tenantId: tid }).lean())!.domains).toEqual(['fabrikam.example']);

  // A staff tick carries who and why, audited.
  const tick = await act('tick-test-item', { item: 'auto-provisioning', reason: 'Watched Pat sign in by SSO on a call; account created' });
  expect(tick.status).toBe(200);
  const ticked = tick.body.result.find((e: { item: string }) => e.item === 'auto-provisioning').evidence[0];
  expect(ticked).toMatchObject({ staff: { email: 'sam@entrada.test', reason: 'Watched Pat sign in by SSO on a call; account created' } });
  expect(await AuditEventModel.findById(ticked.auditEventIds[0]).lean()).toMatchObject({
    action: 'onboarding.test.tick',
    actor: { kind: 'staff', email: 'sam@entrada.test' },
  });

  // Still missing two items: refused without override, allowed with one.
  expect(await act('go-live', {})).toMatchObject({
    status: 409,
    body: { error: { details: { missing: ['account-migration', 'account-recreation'] } } },
  });
  const live = await act('go-live', { overrideReason: 'Customer has no standard accounts and no deletions to test' });
  expect(live.status).toBe(200);
  expect(live.body.result.goLive).toMatchObject({
    overrideReason: 'Customer has no standard accounts and no deletions to test',
    missingAtApproval: ['account-migration', 'account-recreation'],
  });
  const report = (await stack.staff.api('GET', `/api/staff/tenants/${tid}/report`)).body;
  expect(report.goLive.overrideReason).toBe('Customer has no standard accounts and no deletions to test');
  expect((await tenantForEmailDomain('pat@fabrikam.example'))?.tenantId).toBe(tid);
});

test('start is refused for bad input, a live tenant, a running onboarding and claimed domains', async () => {
  const base = {
    tenantId: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
    orgName: 'Tailspin',
    adminEmails: 'it@tailspin.example',
    proposedDomains: 'tailspin.example',
  };
  const start = async (over: Record<string, unknown>) => {
    const res = await stack.staff.api('POST', '/api/staff/tenants', { ...base, ...over });
    return [res.status, res.body.error?.message ?? res.body];
  };
  expect(await start({ tenantId: 'common' })).toEqual([400, 'Entra tenant ID "common" refused: "common" is a sign-in alias, not a tenant']);
  expect(await start({ tenantId: 'organizations' })).toEqual([400, expect.stringContaining('"organizations" is a sign-in alias')]);
  expect(await start({ tenantId: 'consumers' })).toEqual([400, expect.stringContaining('personal Microsoft account alias')]);
  expect(await start({ tenantId: '9188040d-6c67-4c5b-b112-36a304b66dad' })).toEqual([
    400,
    expect.stringContaining('consumer (personal Microsoft account) tenant'),
  ]);
  expect(await start({ tenantId: 'tailspin.onmicrosoft.com' })).toEqual([400, expect.stringContaining('must be a GUID')]);
  expect(await start({ orgName: '' })).toEqual([400, 'Organisation name is required']);
  expect(await start({ adminEmails: '' })).toEqual([400, 'At least one admin contact email is required']);
  expect(await start({ adminEmails: 'it@tailspin.example, not-an-email' })).toEqual([400, '"not-an-email" is not an email address']);
  expect(await start({ proposedDomains: 'gmail.com' })).toEqual([400, expect.stringContaining('"gmail.com" is a public mail domain')]);
  expect(await start({ proposedDomains: 'contoso.example' })).toEqual([400, 'Already claimed by another tenant: contoso.example.']);
  expect(await start({ tenantId: 'common', orgName: '' })).toEqual([
    400,
    expect.stringMatching(/"common" refused.*\. Organisation name is required$/),
  ]);
  const contoso = (await TenantModel.findOne({ name: 'Contoso Ltd' }).lean())!;
  expect(await start({ tenantId: contoso.tenantId })).toEqual([409, `Tenant ${contoso.tenantId} is already live.`]);
  await expect(stack.env.temporal.workflow.getHandle(onboardingWorkflowId(base.tenantId)).describe()).rejects.toThrow(/not found/i);

  // A second start while one runs is refused with a pointer to it.
  const first = await stack.staff.api('POST', '/api/staff/tenants', base);
  expect(first.status).toBe(201);
  expect(await start({ orgName: 'Tailspin again' })).toEqual([
    409,
    `An onboarding for tenant ${base.tenantId} is already running: open /staff/tenants/${base.tenantId} to continue it.`,
  ]);
  expect(
    (await stack.staff.api('POST', `/api/staff/tenants/${base.tenantId}/cancel`, { reason: 'Test tenant, not a customer' })).body.result
      .stage,
  ).toBe('cancelled');
});

test('the checklist is ticked by the real events: SSO provisioning, a password account migrated, a deleted account recreated', async () => {
  const tid = await onboardToTesting(stack, { name: 'Tailwind', admin: 'it@tailwind.example', domains: ['tailwind.example'] });
  const emulated = stack.entra.emulator.getTenant(tid)!;
  const sso = new SsoBrowser(stack.env, { emulated, tenantId: tid });
  const signIn = async (email: string) => {
    const res = await finishPendingSignIn(sso, await sso.signIn(email));
    expect(res.status, await res.clone().text()).toBe(303);
  };
  const ticked = (item: string) => (s: OnboardingState) => s.checklist.find((e) => e.item === item)!.evidence.length > 0;

  // A new person signs in by SSO and is provisioned.
  emulated.addUser({ email: 'pat@tailwind.example' });
  await signIn('pat@tailwind.example');
  let state = await waitForState(stack.staff, tid, ticked('auto-provisioning'), 'auto-provisioning evidence');
  expect(state.checklist[0].evidence[0]).toMatchObject({
    email: 'pat@tailwind.example',
    auditEventIds: [expect.stringMatching(/^[0-9a-f]{24}$/)],
  });

  // Someone with a password account in the domain signs in by SSO for the first time: migrated.
  await createUser({ email: 'mia@tailwind.example', displayName: 'Mia' });
  emulated.addUser({ email: 'mia@tailwind.example' });
  await signIn('mia@tailwind.example');
  await waitForState(stack.staff, tid, ticked('account-migration'), 'account-migration evidence');

  // Pat's Entra account is deleted and recreated (new object ID): a fresh, empty account.
  emulated.recreateUser('pat@tailwind.example');
  await signIn('pat@tailwind.example');
  state = await waitForState(stack.staff, tid, (s) => s.stage === 'awaiting-go-live', 'awaiting-go-live', 60_000);
  expect(state.checklist.filter((e) => e.mandatory).every((e) => e.evidence.length > 0)).toBe(true);

  const live = await stack.staff.api('POST', `/api/staff/tenants/${tid}/go-live`, {});
  expect(live.status, JSON.stringify(live.body)).toBe(200);
  expect(live.body.result.goLive.missingAtApproval).toEqual([]);
});
