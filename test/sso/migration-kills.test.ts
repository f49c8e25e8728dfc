/**
 * Workers killed while many first sign-ins migrate at once. A migration's steps are local
 * activities that run inside one workflow task, so a kill after the last step but before the
 * task completed makes the next worker replay every step: each must accept "already done by
 * this workflow". Every run must complete, and every user get exactly one notice.
 */
import { beforeAll, expect, inject, test } from 'vitest';
import { UserModel } from '../../lib/models';
import { migrationWorkflowId } from '../../lib/contracts/shared';
import type { MigrateUserInput } from '../../lib/contracts/migration';
import { startDoomedWorker } from '../support/doomed-worker';
import { createUser } from '../support/people';
import { seedCollaboration } from '../support/seed-collaboration';
import { connectTenant, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ entra: true, web: false });
let tenant: SsoTenant;

beforeAll(async () => {
  tenant = await connectTenant(stack, { domains: ['kills.example'] });
});

// Kill points: after every account step (the replay then finds the account migrated), and in
// the middle (the replay resumes a marked account).
test.each([
  ['notifyUserMigrated', 'after the last account step'],
  ['revokeMigratedSessions', 'in the middle'],
])('killed at %s (%s): every run completes, every user is notified exactly once', { timeout: 120_000 }, async (hangAt) => {
  const count = 8;
  const users = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const email = `${hangAt.toLowerCase()}-${i}@kills.example`;
      const user = await createUser({ email });
      await seedCollaboration(user._id, (await createUser({ email: `peer-${hangAt.toLowerCase()}-${i}@kills.example` }))._id);
      const entraUser = tenant.emulated.addUser({ email });
      return { id: String(user._id), email, objectId: entraUser.objectId };
    }),
  );

  const dying = await startDoomedWorker({ env: stack.env.envVars, bundlePath: inject('workflowBundlePath'), hangAt, expected: count });
  const handles = await Promise.all(
    users.map((u) =>
      stack.env.temporal.workflow.start('migrateUser', {
        taskQueue: stack.env.config.TEMPORAL_TASK_QUEUE,
        workflowId: migrationWorkflowId(u.id),
        // The dead worker's task must time out before another worker replays it. Long enough
        // that the task does not heartbeat (which would record its local activities) before the kill.
        workflowTaskTimeout: '5s',
        args: [
          { userId: u.id, tenantId: tenant.tenantId, objectId: u.objectId, nameId: u.email, email: u.email } satisfies MigrateUserInput,
        ],
      }),
    ),
  );
  await dying.reached;
  await dying.kill();

  const workers = await stack.env.startWorkers();
  try {
    const outcomes = await Promise.allSettled(handles.map((h) => h.result()));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    for (const h of handles) expect((await h.describe()).status.name).toBe('COMPLETED');
    for (const u of users) {
      expect(await UserModel.findById(u.id, { kind: 1, status: 1, _id: 0 }).lean()).toEqual({ kind: 'sso', status: 'active' });
      expect(stack.env.inbox.to(u.email).filter((m) => m.subject === 'Your Entrada account now uses single sign-on')).toHaveLength(1);
    }
  } finally {
    await workers.stop();
  }
});
