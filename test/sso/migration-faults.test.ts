/**
 * Migrations that break halfway: the worker dies mid-migration, or the workflow is gone and
 * the account is left in `migrating`. Data stays intact, and the migration completes after a
 * worker restart or through the stalled-migration sweeper (run by its Temporal Schedule).
 */
import { Context } from '@temporalio/activity';
import { NativeConnection, Worker } from '@temporalio/worker';
import { beforeAll, expect, inject, test } from 'vitest';
import { createActivities } from '../../activities';
import { AuditEventModel, FileModel, UserModel } from '../../lib/models';
import { ensureSchedules } from '../../worker/schedules';
import { migrationWorkflowId, SWEEPER_SCHEDULE_ID } from '../../lib/contracts/shared';
import type { SweepResult } from '../../lib/contracts/migration';
import { createUser } from '../support/people';
import { seedCollaboration } from '../support/seed-collaboration';
import { connectTenant, finishPendingSignIn, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ config: { MIGRATION_ACS_WAIT: '1s', MIGRATION_STALL_THRESHOLD: '1m' }, entra: true });
let tenant: SsoTenant;

beforeAll(async () => {
  tenant = await connectTenant(stack, { domains: ['contoso.example'] });
});

/**
 * A worker that runs the first migration step and then "dies": every later step hangs until
 * the worker is killed, then fails, and the worker shuts down with the workflow task in
 * flight. Deterministic, unlike racing a real kill against a fast workflow; what Temporal
 * sees is the same (a worker gone mid-task, nothing after the first step done).
 */
async function workerThatDiesAfterFirstStep() {
  const connection = await NativeConnection.connect({ address: stack.env.config.TEMPORAL_ADDRESS });
  let firstStepDone!: () => void;
  const firstStep = new Promise<void>((resolve) => (firstStepDone = resolve));
  let die!: (err: Error) => void;
  const death = new Promise<never>((_resolve, reject) => (die = reject));
  death.catch(() => undefined);
  const real = createActivities(stack.env.deps);
  const activities = Object.fromEntries(
    Object.entries(real).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        if (name !== 'markUserMigrating') return Promise.race([death, Context.current().cancelled]); // hangs until killed
        const result = await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        firstStepDone();
        return result;
      },
    ]),
  );
  const worker = await Worker.create({
    connection,
    namespace: stack.env.namespace,
    taskQueue: stack.env.config.TEMPORAL_TASK_QUEUE,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities,
    shutdownGraceTime: '200ms',
  });
  const running = worker.run();
  return {
    firstStep,
    async kill() {
      die(new Error('worker killed'));
      worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}

// The dead worker's workflow task must time out before another worker takes it: allow for that.
test('a worker killed mid-migration: data intact while it is down, migration completes after restart', { timeout: 150_000 }, async () => {
  const kim = await createUser({ email: 'kim@contoso.example' });
  const colleague = await createUser({ email: 'kim-colleague@contoso.example' });
  const world = await seedCollaboration(kim._id, colleague._id);
  tenant.emulated.addUser({ email: 'kim@contoso.example' });

  const dying = await workerThatDiesAfterFirstStep();
  const browser = new SsoBrowser(stack.env, tenant);
  const res = await browser.signIn('kim@contoso.example');
  expect(res.status).toBe(200); // the ACS waited its second, then showed the progress page
  expect(await res.clone().text()).toContain('Finishing your account upgrade');
  await dying.firstStep;
  await dying.kill();

  // Down: the account is marked but nothing else happened, and nothing was lost.
  const handle = stack.env.temporal.workflow.getHandle(migrationWorkflowId(String(kim._id)));
  expect((await handle.describe()).status.name).toBe('RUNNING');
  const midway = await UserModel.findById(kim._id).lean();
  expect(midway).toMatchObject({ status: 'migrating', kind: 'standard' });
  expect(midway?.passwordHash).toBeTruthy();
  expect(await FileModel.countDocuments({ ownerId: kim._id })).toBe(3);
  const poll = await browser.http.api('GET', `/saml/migration/${kim._id}/status`);
  expect(poll.body).toEqual({ status: 'pending' });

  // A worker comes back: the same run resumes where it stopped, and the waiting page continues.
  await stack.env.startWorkers();
  const done = await finishPendingSignIn(browser, res, 120_000);
  expect(done.status).toBe(303);
  expect(await browser.whoAmI()).toBe('kim@contoso.example');
  const user = await UserModel.findById(kim._id).lean();
  expect(user).toMatchObject({ status: 'active', kind: 'sso' });
  expect(user?.migration?.countsAfter).toEqual(user?.migration?.countsBefore);
  const files = (await browser.http.api('GET', '/api/files')).body;
  expect([...files.owned, ...files.shared].map((f: { name: string }) => f.name).sort()).toEqual(world.files.map((f) => f.name).sort());
  expect(await AuditEventModel.countDocuments({ 'target.id': String(kim._id), action: 'user.migration.completed' })).toBe(1);
});

test('the sweeper schedule restarts a migration left in `migrating` with no workflow', async () => {
  // Exactly what a run that was terminated after its first step leaves behind.
  const entraLee = tenant.emulated.addUser({ email: 'lee@contoso.example' });
  const lee = await createUser({ email: 'lee@contoso.example' });
  const colleague = await createUser({ email: 'lee-colleague@contoso.example' });
  await seedCollaboration(lee._id, colleague._id);
  const workflowId = migrationWorkflowId(String(lee._id));
  await UserModel.updateOne(
    { _id: lee._id },
    {
      status: 'migrating',
      tenantId: tenant.tenantId,
      migration: { workflowId, startedAt: new Date(Date.now() - 3_600_000), objectId: entraLee.objectId, nameId: 'lee@contoso.example' },
    },
  );

  await ensureSchedules(stack.env.temporal, stack.env.config);
  await ensureSchedules(stack.env.temporal, stack.env.config); // idempotent: every worker start calls it
  const schedule = stack.env.temporal.schedule.getHandle(SWEEPER_SCHEDULE_ID);
  const described = await schedule.describe();
  expect(described.spec.intervals?.[0]?.every).toBe(stack.env.config.MIGRATION_SWEEP_INTERVAL);
  expect(described.policies.overlap).toBe('SKIP');

  await schedule.trigger();
  const started = async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId;
  await expect.poll(started, { timeout: 10_000, interval: 100 }).toBeDefined();
  const sweep = (await stack.env.temporal.workflow.getHandle((await started())!).result()) as SweepResult;
  expect(sweep).toEqual({ found: 1, restarted: 1 });

  await stack.env.temporal.workflow.getHandle(workflowId).result();
  const user = await UserModel.findById(lee._id).lean();
  expect(user).toMatchObject({ status: 'active', kind: 'sso' });
  expect(user?.passwordHash).toBeUndefined();
  expect(await AuditEventModel.countDocuments({ 'target.id': String(lee._id), action: 'user.migration.restart', outcome: 'success' })).toBe(
    1,
  );

  // The next sweep finds nothing left to do; the user signs in normally.
  expect(
    await stack.env.temporal.workflow.execute('migrationSweeper', {
      taskQueue: stack.env.config.TEMPORAL_TASK_QUEUE,
      workflowId: `sweep-again-${stack.env.id}`,
    }),
  ).toEqual({ found: 0, restarted: 0 });
  const browser = new SsoBrowser(stack.env, tenant);
  expect((await browser.signIn('lee@contoso.example')).status).toBe(303);
  expect(await browser.whoAmI()).toBe('lee@contoso.example');
});
