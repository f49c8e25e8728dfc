/**
 * The deprovisioning saga on the time-skipping server (a 7-day quarantine passes in
 * milliseconds), driven through the real SCIM endpoint: suspend at once, quarantine,
 * re-check, purge by deleteUser; restores, holds, moved windows, and workers stopped in the
 * wait and in the middle of the purge.
 */
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import {
  changeQuarantineUpdate,
  deprovisioningStateQuery,
  deprovisioningWorkflowId,
  recheckSignal,
  type DeprovisioningStage,
  type DeprovisioningState,
} from '../../lib/contracts/deprovisioning';
import { deletionProgressQuery } from '../../lib/contracts/deletion';
import { deletionWorkflowId } from '../../lib/contracts/shared';
import { AuditEventModel, FileModel, ProvisioningSettingsModel, ScimUserModel, UserModel } from '../../lib/models';
import { seedFiles } from '../../scripts/lib/seed-files';
import { INLINE_MAX_BYTES } from '../../lib/models';
import { connectTenant } from '../support/sso';
import { useStack } from '../support/stack';
import { issueScimToken } from '../../lib/scim/tokens';
import { startSkippingStack, type SkippingStack } from './skipping-stack';
import { entraUserBody, ScimClient } from './support';

const DAY = 24 * 3600 * 1000;
const services = useStack({ entra: true, web: false, config: { SCIM_VALVE_MIN: '1000' } });
let stack: SkippingStack;
let worker: { stop(): Promise<void> };
let scim: ScimClient;
let tenantId: string;

beforeAll(async () => {
  stack = await startSkippingStack(services.env);
  worker = await stack.startWorker();
  tenantId = (await connectTenant(services, { domains: ['saga.example'] })).tenantId;
  const { token } = await issueScimToken(tenantId, { kind: 'staff', email: 'staff@entrada.test' }, { overlapMs: 0 });
  scim = new ScimClient(`${stack.baseUrl}/scim/v2/${tenantId}`, token);
});
afterAll(async () => {
  await stack?.close();
});

async function provision(email: string, files = 3, size = 1024) {
  const body = entraUserBody(email);
  const created = await scim.post('/Users', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const user = (await UserModel.findOne({ email }).lean())!;
  await seedFiles(user._id, { count: files, size });
  const saga = () => stack.timeEnv.client.workflow.getHandle(deprovisioningWorkflowId(String(user._id)));
  return { id: created.body.id as string, body, userId: String(user._id), saga };
}

function stageOf(handle: WorkflowHandle, stage: DeprovisioningStage, timeout = 20_000): Promise<DeprovisioningState> {
  return vi.waitFor(
    async () => {
      const state = await handle.query(deprovisioningStateQuery);
      if (state.stage !== stage)
        throw new Error(`saga never reached ${stage}; last: ${JSON.stringify({ stage: state.stage, timeline: state.timeline.slice(-3) })}`);
      return state;
    },
    { timeout, interval: 100 },
  );
}

test('DELETE suspends at once and keeps the data; replays and a PATCH after it are clear 404s; after 7 days deleteUser purges, and the record gives its keys up', async () => {
  const u = await provision('del@saga.example', 5);
  expect((await scim.delete(`/Users/${u.id}`)).status).toBe(204);
  expect(await UserModel.findById(u.userId).lean()).toMatchObject({ status: 'suspended' });
  const state = await stageOf(u.saga(), 'quarantined');
  expect(Math.abs(Date.parse(state.purgeAt) - (await stack.timeEnv.currentTimeMs()) - 7 * DAY)).toBeLessThan(60_000);

  const gone = await scim.get(`/Users/${u.id}`);
  expect(gone).toMatchObject({ status: 404, body: { status: '404' } });
  expect(gone.body.detail).toContain('quarantine before the purge');
  expect((await scim.delete(`/Users/${u.id}`)).status).toBe(404);
  expect((await scim.patch(`/Users/${u.id}`, { op: 'replace', path: 'displayName', value: 'x' })).status).toBe(404);
  expect((await scim.filter('userName', 'del@saga.example')).body.totalResults).toBe(0);

  await stack.timeEnv.sleep(6 * DAY);
  expect(await FileModel.countDocuments({ ownerId: u.userId })).toBe(5);
  const done = await u.saga().result();
  expect(done).toMatchObject({ stage: 'purged', deletion: { workflowId: deletionWorkflowId(u.userId), files: 5 } });
  expect(await FileModel.countDocuments({ ownerId: u.userId })).toBe(0);
  expect(await UserModel.findById(u.userId).lean()).toMatchObject({ status: 'deleted' });
  expect(await ScimUserModel.findById(u.id).lean()).toMatchObject({ identityKey: `purged:${u.id}`, userNameKey: `purged:${u.id}` });
  const steps = (
    await AuditEventModel.find({ 'target.id': u.userId, action: /^deprovisioning\./ })
      .sort({ at: 1, _id: 1 })
      .lean()
  ).map((e) => e.action);
  expect(steps).toEqual(['deprovisioning.suspended', 'deprovisioning.checked', 'deprovisioning.purged']);

  // The same Entra object sent again is a new, empty account.
  const again = await scim.post('/Users', u.body);
  expect(again.status).toBe(201);
  const fresh = await UserModel.findOne({ email: 'del@saga.example' }).lean();
  expect(String(fresh?._id)).not.toBe(u.userId);
  expect(await FileModel.countDocuments({ ownerId: fresh?._id })).toBe(0);
});

test('a re-create during the window, or active = true, cancels the saga and restores the same account with its files', async () => {
  for (const how of ['re-create', 'active'] as const) {
    const u = await provision(`back-${how}@saga.example`);
    await scim.delete(`/Users/${u.id}`);
    await stageOf(u.saga(), 'quarantined');
    await stack.timeEnv.sleep(2 * DAY);
    const res =
      how === 're-create'
        ? await scim.post('/Users', u.body)
        : await scim.patch(`/Users/${u.id}`, { op: 'Replace', path: 'active', value: 'True' });
    expect(res.status, JSON.stringify(res.body)).toBe(how === 're-create' ? 201 : 200);
    expect(res.body).toMatchObject({ id: u.id, active: true });
    expect(await u.saga().result()).toMatchObject({ stage: 'restored', restored: { by: { kind: 'scim' } } });
    expect(await UserModel.findById(u.userId).lean()).toMatchObject({ status: 'active' });
    expect(await FileModel.countDocuments({ ownerId: u.userId })).toBe(3);
    expect((await scim.get(`/Users/${u.id}`)).status).toBe(200);
  }
});

test('staff move the window: shortened it purges at the new time, and a tenancy legal hold blocks the purge and says why until it is lifted', async () => {
  const u = await provision('held@saga.example');
  await scim.delete(`/Users/${u.id}`);
  await stageOf(u.saga(), 'quarantined');
  await ProvisioningSettingsModel.updateOne(
    { _id: tenantId },
    { $set: { legalHold: { reason: 'Litigation 2026-17', by: 'legal@entrada.test', at: new Date() } } },
    { upsert: true },
  );
  const by = { kind: 'staff' as const, email: 'staff@entrada.test' };
  await expect(
    u.saga().executeUpdate(changeQuarantineUpdate, { args: [{ by, reason: 'x', purgeAt: new Date().toISOString() }] }),
  ).rejects.toMatchObject({ cause: { type: 'InvalidInput', message: 'give a reason of at least 5 characters' } });
  await u.saga().executeUpdate(changeQuarantineUpdate, {
    args: [{ by, reason: 'customer confirmed the leaver', purgeAt: new Date(Date.now() + DAY).toISOString() }],
  });
  await stack.timeEnv.sleep(DAY + 60_000);
  const held = await stageOf(u.saga(), 'held');
  expect(held.blockedBy).toContain('legal hold on the tenancy');
  expect(held.blockedBy).toContain('Litigation 2026-17');
  await stack.timeEnv.sleep(5 * DAY); // held, however long it waits
  expect(await FileModel.countDocuments({ ownerId: u.userId })).toBe(3);
  expect((await u.saga().query(deprovisioningStateQuery)).stage).toBe('held');

  await ProvisioningSettingsModel.updateOne({ _id: tenantId }, { $unset: { legalHold: 1 } });
  await u.saga().signal(recheckSignal);
  expect(await u.saga().result()).toMatchObject({ stage: 'purged' });
  expect(await FileModel.countDocuments({ ownerId: u.userId })).toBe(0);
});

test("a worker stopped during the wait: a re-create sent while none runs is kept in the saga's history, and restores when a worker returns", async () => {
  const u = await provision('wait@saga.example');
  await scim.delete(`/Users/${u.id}`);
  await stageOf(u.saga(), 'quarantined');
  await worker.stop();
  await stack.timeEnv.sleep(3 * DAY);
  // No worker confirms the restore in time: it is recorded as a signal in the saga's history.
  const recreated = await scim.post('/Users', u.body);
  expect(recreated.status, JSON.stringify(recreated.body)).toBe(201);
  expect(recreated.body).toMatchObject({ id: u.id, active: true });
  worker = await stack.startWorker();
  await stack.timeEnv.sleep(10 * DAY);
  expect(await u.saga().result()).toMatchObject({ stage: 'restored', restored: { by: { kind: 'scim' } } });
  expect(await FileModel.countDocuments({ ownerId: u.userId })).toBe(3);
  expect(await UserModel.findById(u.userId).lean()).toMatchObject({ status: 'active' });
  expect(await AuditEventModel.countDocuments({ action: 'deprovisioning.checked', 'target.id': u.userId })).toBe(0);
});

// The purge runs in real time (time does not skip while an activity runs): a bigger budget.
test(
  'a worker stopped in the middle of the purge: the saga resumes, the files are purged exactly once, by one deleteUser',
  { timeout: 120_000 },
  async () => {
    const FILES = 1500;
    // Kept in GridFS (over INLINE_MAX_BYTES): a file at a time, so the purge is still running when the worker stops.
    const u = await provision('purge@saga.example', FILES, INLINE_MAX_BYTES + 1);
    await scim.delete(`/Users/${u.id}`);
    await stageOf(u.saga(), 'quarantined');
    await stack.timeEnv.sleep(7 * DAY - 3_000);
    await stageOf(u.saga(), 'purging');
    const deletion = stack.timeEnv.client.workflow.getHandle(deletionWorkflowId(u.userId));
    await expect
      .poll(async () => (await deletion.query(deletionProgressQuery).catch(() => undefined))?.files.purged ?? 0, {
        timeout: 20_000,
        interval: 20,
      })
      .toBeGreaterThan(0);
    await worker.stop();
    const left = await FileModel.countDocuments({ ownerId: u.userId });
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(FILES);

    worker = await stack.startWorker();
    expect(await u.saga().result()).toMatchObject({ stage: 'purged', deletion: { files: FILES } });
    expect(await FileModel.countDocuments({ ownerId: u.userId })).toBe(0);
    const history = await u.saga().fetchHistory();
    expect(history.events!.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes).length).toBe(1);
    expect(await AuditEventModel.countDocuments({ action: 'user.deletion.purge-files', 'target.id': u.userId })).toBe(1);
    expect(await AuditEventModel.countDocuments({ action: 'deprovisioning.purged', 'target.id': u.userId })).toBe(1);
  },
);
