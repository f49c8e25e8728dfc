import { beforeAll, describe, expect, test, vi } from 'vitest';
import { createActivities } from '../../activities';
import { verifyChain } from '../../lib/audit-chain/verify';
import { deletionWorkflowId } from '../../lib/contracts/shared';
import { requestUserDeletion } from '../../lib/deletion/requests';
import { AuditEventModel, UserModel, type AuditEvent } from '../../lib/models';
import { createUser } from '../support/people';
import { useStack } from '../support/stack';
import { apiUpload, randomFile } from '../collab/support';
import { connectTenant, finishPendingSignIn, SsoBrowser, type SsoTenant } from '../support/sso';
import { issueScimToken } from '../../lib/scim/tokens';
import { entraUserBody, ScimClient } from '../scim/support';

/**
 * The event-coverage table of ARCHITECTURE.md, row by row: each thing a customer's SIEM expects
 * happens for real (HTTP, SAML, workflows) to people of one tenancy, and each row's event is in
 * that tenancy's chain with its ID, time, actor, target, outcome, and source IP and user agent
 * where a request caused it.
 */
vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

const STAFF = 'ops@entrada.test';
const stack = useStack({ entra: true, workers: true, staff: STAFF });
let contoso: SsoTenant;
const DOMAIN = 'contoso.example';
const alice = `alice@${DOMAIN}`;
const bob = `bob@${DOMAIN}`;
const carol = `carol@${DOMAIN}`;
const erin = `erin@${DOMAIN}`;

async function ssoSession(email: string): Promise<SsoBrowser> {
  const browser = new SsoBrowser(stack.env, contoso);
  const res = await finishPendingSignIn(browser, await browser.signIn(email, '/files'));
  expect(res.status, await res.clone().text()).toBe(303);
  await browser.http.get('/files'); // the session's CSRF token
  return browser;
}

/** Everything the table lists, done once, in the order a tenancy might live it. */
async function liveTheTenancy() {
  for (const email of [alice, bob, carol]) contoso.emulated.addUser({ email });
  const a = await ssoSession(alice);
  const b = await ssoSession(bob);
  const api = (who: SsoBrowser, method: string, path: string, body?: unknown) => who.http.api(method, path, body);

  const hub = (await api(a, 'POST', '/api/hubs', { name: 'Board' })).body.hub;
  const bobId = String((await UserModel.findOne({ email: bob }).lean())!._id);
  await api(a, 'POST', `/api/hubs/${hub.id}/members`, { email: bob });
  await api(a, 'PATCH', `/api/hubs/${hub.id}/members/${bobId}`, { role: 'admin' });
  const file = (await apiUpload(a.http, randomFile(1000), 'q3-forecast.xlsx')).body.file;
  await api(a, 'GET', `/api/files/${file.id}`);
  await a.http.get(`/api/files/${file.id}/content`);
  await api(a, 'PATCH', `/api/files/${file.id}`, { name: 'q3-forecast-final.xlsx' });
  await api(a, 'POST', `/api/files/${file.id}/shares`, { email: bob });
  await api(a, 'DELETE', `/api/files/${file.id}/shares/${bobId}`);
  await api(a, 'DELETE', `/api/files/${file.id}`);
  const message = (await api(a, 'POST', `/api/hubs/${hub.id}/messages`, { body: 'Numbers are in.' })).body.message;
  await api(b, 'GET', `/api/hubs/${hub.id}/messages`);
  await api(a, 'DELETE', `/api/hubs/${hub.id}/messages/${message.id}`);
  await api(a, 'DELETE', `/api/hubs/${hub.id}/members/${bobId}`);
  await api(a, 'DELETE', `/api/hubs/${hub.id}`);

  // A forged response (wrong audience) is refused at the ACS.
  const forged = new SsoBrowser(stack.env, contoso);
  const { requestId } = await forged.startLogin();
  await forged.postAcs(forged.issue(alice, { inResponseTo: requestId, audience: 'https://evil.example/sp' }).samlResponse);
  await a.http.request('POST', '/signout', {
    body: new URLSearchParams({ _csrf: a.http.csrf }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

  // Carol had a password account in the tenancy's domain: her first SSO sign-in migrates it.
  await createUser({ email: carol });
  await ssoSession(carol);

  // Staff nominate and remove a domain, and the onboarding moves a stage (the workflow's activities).
  const acts = createActivities(stack.env.deps);
  await acts.claimSsoDomain({ tenantId: contoso.tenantId, domain: 'contoso-labs.example', staffEmail: STAFF });
  await acts.releaseSsoDomain({ tenantId: contoso.tenantId, domain: 'contoso-labs.example', staffEmail: STAFF });
  await acts.recordOnboardingStage({ tenantId: contoso.tenantId, stage: 'live', by: STAFF });

  // Staff map Entra's Entrada.Admin app role to tenancy admin; Erin holds it, so her sign-in makes her one.
  const policy = await stack.staff.api('POST', `/api/staff/tenants/${contoso.tenantId}/sso-policy`, { adminRoles: ['Entrada.Admin'] });
  expect(policy.status).toBe(200);
  contoso.emulated.addUser({ email: erin, roles: ['Entrada.Admin'] });
  await ssoSession(erin);

  // Bob is deleted by staff, with his files.
  await apiUpload(b.http, randomFile(500), 'bob-notes.txt');
  const staff = (await UserModel.findOne({ email: STAFF }).lean())!;
  await requestUserDeletion(stack.env.temporal, stack.env.config.TEMPORAL_TASK_QUEUE, {
    userId: bobId,
    requestedBy: { kind: 'staff', userId: String(staff._id), email: STAFF, reason: 'left the company' },
  });
  await stack.env.temporal.workflow.getHandle(deletionWorkflowId(bobId)).result();

  // Entra's provisioning service creates Dave, then disables him: his account is suspended.
  const { token } = await issueScimToken(contoso.tenantId, { kind: 'staff', email: STAFF }, { overlapMs: 60_000 });
  const scim = new ScimClient(`${stack.env.baseUrl}/scim/v2/${contoso.tenantId}`, token);
  const dave = await scim.post('/Users', entraUserBody(`dave@${DOMAIN}`));
  expect(dave.status).toBe(201);
  expect((await scim.patch(`/Users/${dave.body.id}`, { op: 'Replace', path: 'active', value: 'False' })).status).toBe(200);
}

beforeAll(async () => {
  contoso = await connectTenant(stack, { domains: [DOMAIN] });
  await liveTheTenancy();
});

interface Row {
  row: string;
  action: string;
  outcome: AuditEvent['outcome'];
  /** The actor's email, or its kind when it has none. */
  by: string;
  target: string;
  /** Caused by a request: source IP (and user agent) recorded. */
  request?: boolean;
  details?: Record<string, unknown>;
}

const ROWS: Row[] = [
  {
    row: 'Files: uploaded',
    action: 'file.upload',
    outcome: 'success',
    by: alice,
    target: 'file',
    request: true,
    details: { name: 'q3-forecast.xlsx' },
  },
  {
    row: 'Files: viewed',
    action: 'file.view',
    outcome: 'success',
    by: alice,
    target: 'file',
    request: true,
    details: { name: 'q3-forecast.xlsx' },
  },
  {
    row: 'Files: downloaded',
    action: 'file.download',
    outcome: 'success',
    by: alice,
    target: 'file',
    request: true,
    details: { name: 'q3-forecast.xlsx' },
  },
  {
    row: 'Files: renamed',
    action: 'file.rename',
    outcome: 'success',
    by: alice,
    target: 'file',
    request: true,
    details: { to: 'q3-forecast-final.xlsx' },
  },
  { row: 'Files: shared', action: 'file.share', outcome: 'success', by: alice, target: 'file', request: true, details: { withEmail: bob } },
  { row: 'Files: sharing stopped', action: 'file.unshare', outcome: 'success', by: alice, target: 'file', request: true },
  {
    row: 'Files: deleted',
    action: 'file.delete',
    outcome: 'success',
    by: alice,
    target: 'file',
    request: true,
    details: { name: 'q3-forecast-final.xlsx' },
  },
  {
    row: 'Messages: sent',
    action: 'message.send',
    outcome: 'success',
    by: alice,
    target: 'message',
    request: true,
    details: { length: 15 },
  },
  { row: 'Messages: read', action: 'message.read', outcome: 'success', by: bob, target: 'hub', request: true, details: { messages: 1 } },
  { row: 'Messages: deleted', action: 'message.delete', outcome: 'success', by: alice, target: 'message', request: true },
  { row: 'Hubs: created', action: 'hub.create', outcome: 'success', by: alice, target: 'hub', request: true },
  {
    row: 'Hubs: member added',
    action: 'hub.member.add',
    outcome: 'success',
    by: alice,
    target: 'hub',
    request: true,
    details: { email: bob },
  },
  {
    row: 'Hubs: member or admin changed',
    action: 'hub.member.role',
    outcome: 'success',
    by: alice,
    target: 'hub',
    request: true,
    details: { to: 'admin' },
  },
  { row: 'Hubs: member removed', action: 'hub.member.remove', outcome: 'success', by: alice, target: 'hub', request: true },
  { row: 'Hubs: deleted', action: 'hub.delete', outcome: 'success', by: alice, target: 'hub', request: true },
  { row: 'Tenancy: SSO domain nominated', action: 'onboarding.domain.claim', outcome: 'success', by: STAFF, target: 'sso-domain' },
  { row: 'Tenancy: SSO domain removed', action: 'onboarding.domain.release', outcome: 'success', by: STAFF, target: 'sso-domain' },
  {
    row: 'Tenancy: onboarding stage changed',
    action: 'onboarding.stage',
    outcome: 'success',
    by: STAFF,
    target: 'tenant',
    details: { stage: 'live' },
  },
  { row: 'Users: sign-in', action: 'sso.signed-in', outcome: 'success', by: alice, target: 'user', request: true },
  { row: 'Users: sign-out', action: 'auth.signout', outcome: 'success', by: alice, target: 'user', request: true },
  {
    row: 'Users: authentication failure (SAML refusal, with its reason)',
    action: 'saml.rejected',
    outcome: 'denied',
    by: 'anonymous',
    target: 'tenant',
    request: true,
    details: { reason: 'audience-mismatch' },
  },
  { row: 'Users: provisioned', action: 'sso.user-provisioned', outcome: 'success', by: alice, target: 'user' },
  { row: 'Users: account migrated', action: 'user.migration.completed', outcome: 'success', by: 'system', target: 'user' },
  { row: 'Users: deletion requested', action: 'user.deletion.request', outcome: 'success', by: STAFF, target: 'user' },
  {
    row: 'Users: files purged (with counts)',
    action: 'user.deletion.purge-files',
    outcome: 'success',
    by: STAFF,
    target: 'user',
    details: { result: expect.objectContaining({ purged: 1 }) },
  },
  { row: 'Users: deleted', action: 'user.deletion.tombstone', outcome: 'success', by: STAFF, target: 'user' },
  {
    row: 'Tenancy: policy or setting changed (admin mapping)',
    action: 'sso.policy.admin-mapping',
    outcome: 'success',
    by: STAFF,
    target: 'tenant',
    request: true,
  },
  {
    row: 'Tenancy: admin changed',
    action: 'sso.tenant-admin.granted',
    outcome: 'success',
    by: 'system',
    target: 'user',
    details: { email: erin, roles: ['Entrada.Admin'] },
  },
  {
    row: 'Users: suspended',
    action: 'user.suspended',
    outcome: 'success',
    by: 'system',
    target: 'user',
    details: { reason: 'scim-inactive', changed: true },
  },
];

const actorOf = (e: AuditEvent) => (e.actor?.kind === 'system' || e.actor?.kind === 'anonymous' ? e.actor.kind : e.actor?.email);

describe("a tenancy's events, each in its audit chain with the fields a SIEM needs", () => {
  test.each(ROWS)('$row ($action)', async ({ action, outcome, by, target, request, details }) => {
    const events = await AuditEventModel.find({ tenantId: contoso.tenantId, action, outcome }).lean();
    const event = events.find((e) => actorOf(e) === by && (!details || expect.objectContaining(details).asymmetricMatch(e.details)));
    expect(event, `${action} by ${by} among ${JSON.stringify(events.map((e) => [actorOf(e), e.details]))}`).toBeDefined();
    expect(event!.target).toMatchObject({ type: target, id: expect.any(String) });
    expect(event!.at).toBeInstanceOf(Date);
    expect(event!.seq).toBeGreaterThan(0);
    expect(event!.link).toBe(`${contoso.tenantId}:${event!.seq}`);
    if (request) expect([event!.ip, event!.userAgent]).toEqual([expect.stringMatching(/127\.0\.0\.1/), expect.any(String)]);
  });

  test('the chain of all of it is intact', async () => {
    const count = await AuditEventModel.countDocuments({ tenantId: contoso.tenantId });
    expect(await verifyChain(contoso.tenantId)).toMatchObject({ ok: true, events: count });
  });
});
