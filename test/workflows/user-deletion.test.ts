/**
 * deleteUser with stubbed steps: the order and inputs of the steps, the hub rule (a hub with
 * an heir is handed over, a hub nobody may inherit is purged on the purge queue), the counts
 * reported, and a refused first step that stops everything.
 */
import { expect, test } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { deleteUser } from '../../workflows';
import { deletionWorkflowId, EntradaStatusKey, purgeTaskQueue } from '../../lib/contracts/shared';
import { deletionProgressQuery } from '../../lib/contracts/deletion';
import { account, COMPLETED_AT, deletionSteps, linkCounts, requestedBy } from '../support/deletion-stubs';
import { rootCause, useTimeSkipping } from '../support/time-skipping';

const server = useTimeSkipping();

const userId = 'u-ada';
const workflowId = deletionWorkflowId(userId);

/** Runs one deletion to its end; returns the result (or failure), the progress and the status. */
const runDeletion = (stub: ReturnType<typeof deletionSteps>) =>
  server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await server.client.workflow.start<typeof deleteUser>('deleteUser', {
      taskQueue,
      workflowId,
      args: [{ userId, requestedBy }],
    });
    const outcome = await handle.result().catch((e: unknown) => e);
    const status = (await handle.describe()).typedSearchAttributes.get(EntradaStatusKey);
    return { taskQueue, outcome, status, progress: outcome instanceof Error ? undefined : await handle.query(deletionProgressQuery) };
  });

test('a sole-owned hub with an admin is handed over: every step runs once, in order, and the counts add up', async () => {
  const stub = deletionSteps();
  const { taskQueue, outcome, status, progress } = await runDeletion(stub);

  expect(stub.names()).toEqual([
    'markUserDeleting',
    'revokeUserSessions',
    'purgeUserFiles',
    'releaseUserHubs',
    'removeUserLinks',
    'tombstoneUser',
    'notifyUserDeleted',
  ]);
  const requested = { userId, requestedBy, workflowId };
  const step = { ...requested, tenantId: account.tenantId };
  expect(stub.inputsOf('markUserDeleting')).toEqual([requested]);
  for (const name of ['revokeUserSessions', 'purgeUserFiles', 'releaseUserHubs', 'tombstoneUser'] as const)
    expect(stub.inputsOf(name), name).toEqual([step]);
  expect(stub.inputsOf('removeUserLinks')).toEqual([{ ...step, email: account.email }]);
  // Heavy purges never queue ahead of sign-in work.
  expect(stub.calls.filter((c) => c.taskQueue === purgeTaskQueue(taskQueue)).map((c) => c.name)).toEqual(['purgeUserFiles']);

  const counts = {
    staffTokens: 1,
    files: 7,
    bytes: 7_000,
    hubsTransferred: 1,
    hubsLeft: 1,
    hubsDeleted: 0,
    hubFiles: 0,
    ...linkCounts,
    identitiesTombstoned: 1,
  };
  expect(stub.inputsOf('notifyUserDeleted')).toEqual([{ ...step, account: { ...account, auditEventId: 'd-mark' }, counts }]);
  expect(outcome).toEqual({
    userId,
    counts,
    auditEventIds: ['d-mark', 'd-sessions', 'd-files', 'd-hubs', 'd-links', 'd-tombstone', 'd-notify'],
    completedAt: COMPLETED_AT,
  });
  expect(progress).toMatchObject({ status: 'deleted', files: { total: 7, purged: 7, bytes: 7_000 }, completedAt: COMPLETED_AT });
  expect(status).toBe('deleted');
});

test('hubs nobody may inherit are purged with their files, one by one on the purge queue, each audited', async () => {
  const stub = deletionSteps({
    releaseUserHubs: () => ({ left: 0, transferred: 0, orphaned: ['hub-a', 'hub-b'], auditEventId: 'd-hubs' }),
  });
  const { taskQueue, outcome } = await runDeletion(stub);

  const purges = stub.calls.filter((c) => c.name === 'purgeOrphanedHub');
  expect(purges.map((c) => [(c.input as { hubId: string }).hubId, c.taskQueue])).toEqual([
    ['hub-a', purgeTaskQueue(taskQueue)],
    ['hub-b', purgeTaskQueue(taskQueue)],
  ]);
  expect(stub.inputsOf('purgeOrphanedHub')[0]).toEqual({ userId, requestedBy, workflowId, tenantId: account.tenantId, hubId: 'hub-a' });
  expect(outcome).toMatchObject({
    counts: { hubsTransferred: 0, hubsLeft: 0, hubsDeleted: 2, hubFiles: 4 },
    auditEventIds: ['d-mark', 'd-sessions', 'd-files', 'd-hubs', 'd-hub-hub-a', 'd-hub-hub-b', 'd-links', 'd-tombstone', 'd-notify'],
  });
});

test('a user already deleted is refused at the first step: nothing is revoked, purged or sent', async () => {
  const stub = deletionSteps({
    markUserDeleting: () => {
      throw ApplicationFailure.create({ type: 'Conflict', message: `User ${userId} is already deleted.`, nonRetryable: true });
    },
  });
  const { outcome, status } = await runDeletion(stub);

  expect(outcome).toBeInstanceOf(WorkflowFailedError);
  expect(rootCause(outcome)).toMatchObject({ type: 'Conflict', message: `User ${userId} is already deleted.` });
  expect(stub.names()).toEqual(['markUserDeleting']);
  expect(status).toBe('deleting');
});
