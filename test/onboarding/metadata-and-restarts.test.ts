/**
 * Configuring against a misbehaving Entra host and bad uploads (the onboarding stays in
 * `configuring` and shows why), a worker killed mid-onboarding, cancellation and a restart.
 * The tenant is the one of the real Microsoft metadata fixture, so that file is imported too.
 */
import { beforeAll, expect, test } from 'vitest';
import { AuditEventModel, SsoDomainModel, TenantModel } from '../../lib/models';
import { onboardingWorkflowId } from '../../lib/contracts/shared';
import type { Entra } from '../support/entra';
import { HttpClient } from '../support/http-client';
import { consentLink, decideConsent, onboardingState, waitForStage, waitForState } from './support';
import { expiredEntraCertificate, readEntraFixture } from '../support/entra-fixtures';
import { useStack } from '../support/stack';

const REAL = readEntraFixture('federationmetadata-6e89e984.xml');
const EXPIRED_CERT = expiredEntraCertificate();
const TID = '6e89e984-81f7-4e1d-b40b-d638ccf7c2b0';
const OTHER = '0b1c7f56-3a55-4c3e-9f0e-5a4c3f1e2d10';

const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test' });
beforeAll(async () => {
  stack.entra.emulator.createTenant({ tenantId: TID, name: 'Northwind' });
});

const act = (action: string, body: Record<string, unknown>) => stack.staff.api('POST', `/api/staff/tenants/${TID}/${action}`, body);
const consentEmails = () =>
  stack.env.inbox.messages.filter((m) => m.subject === 'Action needed: approve Entrada sign-in for Northwind Traders');

test('a worker killed while waiting for consent: the onboarding carries on, emails are not repeated, broken metadata keeps it in configuring', async () => {
  stack.entra.metadataFault = (_req, res) =>
    void res.type('application/xml').send('<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"');
  const started = await stack.staff.api('POST', '/api/staff/tenants', {
    tenantId: TID,
    orgName: 'Northwind Traders',
    adminEmails: 'it@northwind.example',
    proposedDomains: 'northwind.example',
  });
  expect(started.status).toBe(201);
  const email = await stack.env.inbox.waitFor((m) => m.subject.startsWith('Action needed'));
  await waitForStage(stack.staff, TID, 'awaiting-consent');

  await stack.workers.stop(); // no worker at all while the admin consents
  const admin = new HttpClient(stack.env.baseUrl);
  await admin.get(
    await decideConsent(
      consentLink(email, stack.entra, TID, stack.env.config.ENTRA_CLIENT_ID, `${stack.env.baseUrl}/onboarding/consent/callback`),
      'accept',
    ),
  );
  expect(admin.lastHtml).toContain('Thank you: consent recorded');
  await stack.env.startWorkers();

  const state = await waitForState(stack.staff, TID, (s) => s.stage === 'configuring' && s.metadataError !== undefined, 'a metadata error');
  expect(state.metadataError).toMatchObject({
    type: 'MetadataInvalid',
    message: expect.stringMatching(/^the metadata is not well-formed XML/),
  });
  expect(state.saml).toBeUndefined();
  expect((await TenantModel.findOne({ tenantId: TID }).lean())!.stage).toBe('configuring');
  expect(consentEmails()).toHaveLength(1);
  // The tenant page shows the refusal.
  const page = await stack.staff.get(`/staff/tenants/${TID}`);
  expect(page.status).toBe(200);
  expect(stack.staff.lastHtml).toMatch(
    /id="metadata-error">Last import refused \(<time datetime="[^"]+Z" title="[^"]+ UTC">[^<]+<\/time>\): the metadata is not well-formed XML/,
  );
});

test('each bad metadata source is refused with its reason and leaves the onboarding in configuring', async () => {
  const fetchFault = async (fault: Entra['metadataFault'], body: Record<string, unknown> = {}) => {
    stack.entra.metadataFault = fault;
    const res = await act('fetch-metadata', body);
    return [res.status, res.body.error?.code, res.body.error?.message];
  };
  expect(
    await fetchFault((_q, r) => void r.type('xml').send(REAL.replace(/entityID="[^"]+"/, `entityID="https://sts.windows.net/${OTHER}/"`))),
  ).toEqual([422, 'tenant_mismatch', `the metadata is for tenant ${OTHER}, expected ${TID}`]);
  expect(await fetchFault((_q, r) => void r.redirect(302, 'http://169.254.169.254/latest/meta-data/'))).toEqual([
    422,
    'metadata_invalid',
    expect.stringMatching(
      /redirected to http:\/\/169\.254\.169\.254\/latest\/meta-data\/; metadata is only fetched from http:\/\/127\.0\.0\.1:\d+$/,
    ),
  ]);
  expect(await fetchFault((_q, r) => void r.type('xml').send('x'.repeat(600_000)))).toEqual([
    422,
    'metadata_invalid',
    expect.stringMatching(/sent more than 524288 bytes$/),
  ]);
  expect(await fetchFault((_q, r) => void r.status(400).send('AADSTS90002: Tenant not found'))).toEqual([
    422,
    'metadata_invalid',
    expect.stringMatching(/answered 400: check the tenant ID \(and app ID\)$/),
  ]);
  expect(await fetchFault(undefined, { appId: 'not-a-guid' })).toEqual([400, 'bad_request', 'App ID must be a GUID, got "not-a-guid"']);

  const upload = async (xml: string) => {
    const res = await act('upload-metadata', { xml });
    return [res.status, res.body.error?.message];
  };
  expect(await upload(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${REAL}`)).toEqual([
    422,
    'DOCTYPE/ENTITY declarations are not allowed in metadata',
  ]);
  expect(
    await upload(REAL.replace(/<X509Certificate>[^<]+<\/X509Certificate>/g, `<X509Certificate>${EXPIRED_CERT}</X509Certificate>`)),
  ).toEqual([422, expect.stringMatching(/^all 1 signing certificates have expired/)]);
  expect(await upload(REAL.slice(0, 9000))).toEqual([422, expect.stringMatching(/^the metadata is not well-formed XML/)]);
  expect(await upload('   ')).toEqual([400, 'the metadata XML is empty']);

  const state = await onboardingState(stack.staff, TID);
  expect(state.stage).toBe('configuring');
  expect(state.saml).toBeUndefined();
  expect(state.metadataError!.message).toMatch(/not well-formed/);
  expect((await TenantModel.findOne({ tenantId: TID }).lean())!.saml?.idpEntityId).toBeUndefined();
  expect(await AuditEventModel.countDocuments({ action: 'onboarding.metadata.import', outcome: 'failure' })).toBe(8);
});

test('the real Microsoft metadata uploaded by staff configures SAML; a fetch with ?appid= (and a BOM) refreshes it', async () => {
  const uploaded = await act('upload-metadata', { xml: REAL });
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
  expect(uploaded.body.result).toMatchObject({
    idpEntityId: `https://sts.windows.net/${TID}/`,
    ssoUrl: `https://login.microsoftonline.com/${TID}/saml2`,
    source: 'upload',
  });
  expect(uploaded.body.result.certificates).toHaveLength(5);
  let state = await waitForStage(stack.staff, TID, 'testing');
  expect(state.metadataError).toBeUndefined();
  expect(state.domains).toEqual(['northwind.example']);
  expect((await TenantModel.findOne({ tenantId: TID }).lean())!.saml!.certificates.map((c) => c.thumbprint)).toContain(
    '2588523AC1E10D9ADCE647EA420F2E8E41CC4CD6',
  );

  const appId = '11111111-2222-4333-8444-555555555555';
  stack.entra.metadataFault = (_q, r) => void r.type('application/xml; charset=utf-8').send(`\uFEFF${REAL}`);
  const fetched = await act('fetch-metadata', { appId });
  expect(fetched.status, JSON.stringify(fetched.body)).toBe(200);
  expect(stack.entra.metadataRequests.at(-1)).toBe(`/${TID}/federationmetadata/2007-06/federationmetadata.xml?appid=${appId}`);
  state = await onboardingState(stack.staff, TID);
  expect(state.saml).toMatchObject({ source: 'entra' });
  expect((await TenantModel.findOne({ tenantId: TID }).lean())!.saml!.appId).toBe(appId);
  // A setting of the tenancy changed, twice: each change is in its audit chain, by whom and from where.
  const imports = await AuditEventModel.find({ tenantId: TID, action: 'onboarding.metadata.import', outcome: 'success' }).lean();
  expect(imports.sort((a, b) => a.seq! - b.seq!).map((e) => [e.actor?.kind, e.target, (e.details as { source: string }).source])).toEqual([
    ['staff', { type: 'tenant', id: TID }, 'upload'],
    ['staff', { type: 'tenant', id: TID }, 'entra'],
  ]);
});

test('cancelling releases the domains and is audited; the tenant can then be onboarded again; a Temporal-level cancel also cleans up', async () => {
  expect((await act('cancel', { reason: 'no' })).status).toBe(400);
  const cancelled = await act('cancel', { reason: 'Customer postponed the project' });
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.result).toMatchObject({
    stage: 'cancelled',
    domains: [],
    cancelled: { by: 'sam@entrada.test', reason: 'Customer postponed the project' },
  });
  expect(await TenantModel.findOne({ tenantId: TID }).lean()).toMatchObject({ stage: 'cancelled', domains: [] });
  expect(await SsoDomainModel.exists({ domain: 'northwind.example' })).toBeNull();
  expect(await AuditEventModel.findOne({ action: 'onboarding.cancel' }).lean()).toMatchObject({
    actor: { email: 'sam@entrada.test' },
    details: { reason: 'Customer postponed the project', releasedDomains: ['northwind.example'] },
  });
  expect((await stack.env.temporal.workflow.getHandle(onboardingWorkflowId(TID)).describe()).status.name).toBe('COMPLETED');

  // A new run for the same tenant: its own consent email (keys carry the run), same workflow ID.
  expect(
    (
      await stack.staff.api('POST', '/api/staff/tenants', {
        tenantId: TID,
        orgName: 'Northwind Traders',
        adminEmails: 'it@northwind.example',
      })
    ).status,
  ).toBe(201);
  await stack.env.inbox.waitFor(() => consentEmails().length === 2);
  await waitForStage(stack.staff, TID, 'awaiting-consent');

  const handle = stack.env.temporal.workflow.getHandle(onboardingWorkflowId(TID));
  await handle.cancel();
  await expect(handle.result()).rejects.toThrow(/cancelled/i);
  expect((await TenantModel.findOne({ tenantId: TID }).lean())!.stage).toBe('cancelled');
  expect(await AuditEventModel.findOne({ action: 'onboarding.cancel', 'actor.email': 'temporal' }).lean()).toMatchObject({
    details: { reason: 'workflow cancelled in Temporal' },
  });
  expect(consentEmails()).toHaveLength(2);
});
