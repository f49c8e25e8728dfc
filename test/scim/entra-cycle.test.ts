/**
 * End to end with the Entra provisioning emulator against the real web app and worker (dev
 * server, a 4-second quarantine): initial sync, incremental PATCH, disable and unassign, soft
 * then hard delete through the saga, large group member lists, and the safety valve tripping
 * within one batch of a mass deprovisioning.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, test } from 'vitest';
import { EntraProvisioningService, ProvisioningDirectory } from '../../emulator/provisioning';
import { issueStaffToken } from '../../lib/accounts/staff-accounts';
import { deprovisioningStateQuery, deprovisioningWorkflowId } from '../../lib/contracts/deprovisioning';
import { AuditEventModel, ProvisioningSettingsModel, ScimMemberModel, ScimUserModel, UserModel } from '../../lib/models';
import { issueScimToken } from '../../lib/scim/tokens';
import { createUser } from '../support/people';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({
  entra: true,
  workers: true,
  config: { SCIM_QUARANTINE: '4s', SCIM_VALVE_PERCENT: '20', SCIM_VALVE_MIN: '3', STAFF_EMAIL: 'provisioning-staff@entrada.test' },
});
let staffToken: string;

beforeAll(async () => {
  await createUser({ email: 'stella@entrada.test', isStaff: true });
  ({ token: staffToken } = await issueStaffToken('stella@entrada.test'));
});

async function tenancy(domain: string, opts: { concurrency?: number; memberBatchSize?: number } = {}) {
  const tenant = await connectTenant(stack, { name: domain, domains: [domain] });
  const { token } = await issueScimToken(tenant.tenantId, { kind: 'staff', email: 'stella@entrada.test' }, { overlapMs: 0 });
  const directory = new ProvisioningDirectory();
  const service = new EntraProvisioningService(directory, { scimUrl: `${stack.env.baseUrl}/scim/v2/${tenant.tenantId}`, token, ...opts });
  return { tenant, directory, service };
}

const staffApi = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${stack.env.baseUrl}/api/staff${path}`, {
    method,
    headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json', accept: 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

const signIn = (tenant: SsoTenant, email: string, objectId: string) => {
  if (!tenant.emulated.findUser(email)) tenant.emulated.addUser({ email, objectId });
  return new SsoBrowser(stack.env, tenant).signIn(email);
};

test('a full cycle: initial sync with filter look-ups then creates; incremental PATCH; disable, unassign; soft delete, then hard delete and the purge after the window', async () => {
  const { tenant, directory, service } = await tenancy('cycle.example');
  const people = ['ada', 'bob', 'cy', 'dee', 'eve'].map((n) =>
    directory.addUser({ userPrincipalName: `${n}@cycle.example`, department: 'Research' }),
  );
  const [ada, bob, cy, dee, eve] = people;
  directory.updateUser(bob.objectId, { managerObjectId: ada.objectId });

  const initial = await service.runCycle();
  expect(initial.failed).toEqual([]);
  expect(initial.created).toBe(5);
  // Per user, as Entra does: a look-up by userName, then the create.
  const forAda = initial.requests.filter(
    (r) =>
      r.path.includes('ada%40cycle.example') || (r.method === 'POST' && (r.body as { userName: string }).userName === 'ada@cycle.example'),
  );
  expect(forAda.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'POST 201']);
  expect(await UserModel.countDocuments({ tenantId: tenant.tenantId, kind: 'sso', status: 'active' })).toBe(5);
  expect((await service.runCycle()).requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    `PATCH /Users/${service.scimIds.get(bob.objectId)}`,
  ]); // the manager reference, now that Ada exists
  expect((await service.runCycle()).requests).toEqual([]); // nothing changed, nothing sent

  expect((await signIn(tenant, 'ada@cycle.example', ada.objectId)).status).toBe(303);
  const adaId = String((await UserModel.findOne({ email: 'ada@cycle.example' }).lean())?._id);

  directory.updateUser(ada.objectId, {
    mail: 'ada.lovelace@cycle.example',
    userPrincipalName: 'ada.lovelace@cycle.example',
    surname: 'Lovelace',
  });
  directory.disable(bob.objectId);
  directory.unassign(cy.objectId);
  directory.softDelete(dee.objectId);
  const incremental = await service.runCycle();
  expect(incremental.failed).toEqual([]);
  expect(incremental.requests.every((r) => r.method === 'PATCH' && r.status === 200)).toBe(true);
  const activeOps = incremental.requests.flatMap((r) =>
    (r.body as { Operations: { op: string; path: string; value: unknown }[] }).Operations.filter((o) => o.path === 'active'),
  );
  expect(activeOps).toEqual([
    { op: 'Replace', path: 'active', value: 'False' },
    { op: 'Replace', path: 'active', value: 'False' },
    { op: 'Replace', path: 'active', value: 'False' },
  ]);
  // The renamed user is the same account (same ID), never a deletion.
  expect(await UserModel.findById(adaId).lean()).toMatchObject({
    email: 'ada.lovelace@cycle.example',
    surname: 'Lovelace',
    status: 'active',
  });
  for (const p of [bob, cy, dee])
    expect(await UserModel.findOne({ email: p.userPrincipalName }).lean()).toMatchObject({ status: 'suspended' });

  directory.hardDelete(dee.objectId);
  const deletion = await service.runCycle();
  expect(deletion.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['DELETE 204']);
  const deeId = String((await UserModel.findOne({ email: 'dee@cycle.example' }).lean())?._id);
  const saga = stack.env.temporal.workflow.getHandle(deprovisioningWorkflowId(deeId));
  expect((await saga.result()).stage).toBe('purged');
  expect(await UserModel.findById(deeId).lean()).toMatchObject({ status: 'deleted' });
  expect(await UserModel.findOne({ email: eve.userPrincipalName }).lean()).toMatchObject({ status: 'active' }); // untouched by it all
});

test('group sync with a large member list: created without members, then members added in batches; removals likewise', async () => {
  const { directory, service } = await tenancy('groups.example', { concurrency: 8, memberBatchSize: 100 });
  const users = Array.from({ length: 250 }, (_, i) => directory.addUser({ userPrincipalName: `member${i}@groups.example` }));
  const group = directory.addGroup(
    'Everyone',
    users.map((u) => u.objectId),
  );
  const initial = await service.runCycle();
  expect(initial.failed).toEqual([]);
  const groupRequests = initial.requests.filter((r) => r.path.startsWith('/Groups'));
  expect(groupRequests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'POST 201', 'PATCH 200', 'PATCH 200', 'PATCH 200']);
  const groupId = service.groupIds.get(group.objectId)!;
  expect(await ScimMemberModel.countDocuments({ groupId })).toBe(250);

  directory.removeMembers(
    group.objectId,
    users.slice(0, 120).map((u) => u.objectId),
  );
  const removal = await service.runCycle();
  expect(
    removal.requests.map((r) => `${r.method} ${(r.body as { Operations: { op: string; value: unknown[] }[] }).Operations[0].value.length}`),
  ).toEqual(['PATCH 100', 'PATCH 20']);
  expect(await ScimMemberModel.countDocuments({ groupId })).toBe(130);
});

test('a mass deprovisioning trips the safety valve within one batch: one staff alert, purges paused after the window, resumed by staff', async () => {
  const { tenant, directory, service } = await tenancy('valve.example', { concurrency: 4 });
  const users = Array.from({ length: 30 }, (_, i) => directory.addUser({ userPrincipalName: `u${i}@valve.example` }));
  expect((await service.runCycle()).created).toBe(30);

  // A mis-scoped change in the directory: half the tenancy hard-deleted in one cycle.
  users.slice(0, 15).forEach((u) => directory.hardDelete(u.objectId));
  const cycle = await service.runCycle();
  expect(cycle.requests.filter((r) => r.method === 'DELETE').every((r) => r.status === 204)).toBe(true);
  const trip = await AuditEventModel.findOne({ action: 'scim.safety-valve.tripped', tenantId: tenant.tenantId }).lean();
  // 20 % of 30 is 6: it trips on the 7th deletion, give or take the 4 in flight at once.
  expect(trip?.details.deprovisioned).toBeGreaterThanOrEqual(7);
  expect(trip?.details.deprovisioned).toBeLessThanOrEqual(7 + 4);
  const alerts = await stack.env.inbox.waitFor((m) => m.subject.startsWith('Provisioning safety valve'));
  expect(alerts.to).toEqual(['provisioning-staff@entrada.test']);

  const ids = await Promise.all(
    users.slice(0, 15).map(async (u) => String((await ScimUserModel.findOne({ externalId: u.objectId }).lean())?.userId)),
  );
  for (const id of ids) {
    await expect
      .poll(async () => (await stack.env.temporal.workflow.getHandle(deprovisioningWorkflowId(id)).query(deprovisioningStateQuery)).stage, {
        timeout: 30_000,
        interval: 200,
      })
      .toBe('purge-paused');
  }
  expect(await UserModel.countDocuments({ _id: { $in: ids }, status: 'suspended' })).toBe(15);
  expect(stack.env.inbox.messages.filter((m) => m.subject.startsWith('Provisioning safety valve'))).toHaveLength(1);
  const overview = await staffApi('GET', `/provisioning/${tenant.tenantId}`);
  expect(overview.body.settings.purgesPaused.reason).toContain('users deprovisioned within an hour');
  expect(overview.body.deprovisionings.filter((d: { stage: string }) => d.stage === 'purge-paused')).toHaveLength(15);

  expect(
    (await staffApi('POST', `/provisioning/${tenant.tenantId}/resume-purges`, { reason: 'confirmed with the customer: leavers' })).status,
  ).toBe(200);
  for (const id of ids) expect((await stack.env.temporal.workflow.getHandle(deprovisioningWorkflowId(id)).result()).stage).toBe('purged');
  expect(await UserModel.countDocuments({ _id: { $in: ids }, status: 'deleted' })).toBe(15);
  expect(await ProvisioningSettingsModel.findById(tenant.tenantId).lean()).toMatchObject({ generation: 1 });
});

describe('secrets and reports through the staff API', () => {
  test('a rotated secret keeps working for its overlap; a revoked one at once stops; refusals are audited', async () => {
    const { tenant, directory, service } = await tenancy('rotate.example');
    directory.addUser({ userPrincipalName: 'rio@rotate.example' });
    const oldToken = service.token;
    const issued = await staffApi('POST', `/provisioning/${tenant.tenantId}/tokens`, { label: 'rotation', overlap: '1h' });
    expect(issued.status).toBe(201);
    expect(issued.body.rotated).toHaveLength(1);
    expect((await service.runCycle()).created).toBe(1); // still the old secret, inside the overlap
    service.token = issued.body.token;
    directory.updateUser([...directory.users.keys()][0], { department: 'Ops' });
    expect((await service.runCycle()).updated).toBe(1);

    expect((await staffApi('POST', `/provisioning/${tenant.tenantId}/tokens/${issued.body.rotated[0].id}/revoke`, {})).status).toBe(200);
    service.token = oldToken;
    directory.updateUser([...directory.users.keys()][0], { department: 'Sales' });
    expect((await service.runCycle()).failed).toMatchObject([{ status: 401 }]);
    expect(await AuditEventModel.findOne({ action: 'scim.auth.refused', tenantId: tenant.tenantId }).lean()).toMatchObject({
      details: { reason: 'revoked' },
    });
  });

  test('reconciliation reports SSO accounts SCIM never mentioned and users disabled past the window, and deletes nothing', async () => {
    const { tenant, directory, service } = await tenancy('recon.example');
    const kit = directory.addUser({ userPrincipalName: 'kit@recon.example' });
    await service.runCycle();
    expect((await signIn(tenant, 'walkin@recon.example', '5d7e8f90-0000-4000-8000-00000000abcd')).status).toBe(303); // auto-provisioned by SAML
    directory.disable(kit.objectId);
    await service.runCycle();
    await sleep(4_500); // past the 4-second window
    const before = await UserModel.countDocuments({ tenantId: tenant.tenantId, status: { $ne: 'deleted' } });
    const done = await staffApi('POST', `/provisioning/${tenant.tenantId}/reconcile`, {});
    expect(done.body).toMatchObject({ ssoAccounts: 2, scimUsers: 1, neverMentioned: 1, overdueSuspended: 1 });
    const report = (await staffApi('GET', `/provisioning/${tenant.tenantId}`)).body.report;
    expect(report.neverMentioned).toMatchObject([{ email: 'walkin@recon.example' }]);
    expect(report.overdueSuspended).toMatchObject([{ email: 'kit@recon.example', state: 'disabled' }]);
    expect(await UserModel.countDocuments({ tenantId: tenant.tenantId, status: { $ne: 'deleted' } })).toBe(before);
  });
});

test(
  'workers down while the window ends: the re-create sent meanwhile wins over the purge when they return',
  { timeout: 90_000 },
  async () => {
    const { directory, service } = await tenancy('downtime.example');
    const zoe = directory.addUser({ userPrincipalName: 'zoe@downtime.example' });
    await service.runCycle();
    const userId = String((await UserModel.findOne({ email: 'zoe@downtime.example' }).lean())?._id);
    directory.hardDelete(zoe.objectId);
    await service.runCycle();
    const saga = stack.env.temporal.workflow.getHandle(deprovisioningWorkflowId(userId));
    await expect
      .poll(async () => (await saga.query(deprovisioningStateQuery)).stage, { timeout: 30_000, interval: 200 })
      .toBe('quarantined');
    await stack.workers.stop();
    // Back in scope (an admin undid the removal): the next cycle looks her up, finds nothing, creates her again.
    directory.updateUser(zoe.objectId, { deleted: undefined });
    const again = await service.runCycle();
    expect(again.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'POST 201']); // recorded in the saga's history; no worker confirmed it
    await sleep(4_000); // the window ends with no worker running
    await stack.env.startWorkers();
    expect((await saga.result()).stage).toBe('restored');
    expect(await UserModel.findById(userId).lean()).toMatchObject({ status: 'active' });
  },
);
