/**
 * migrateUser with stubbed steps: the steps run in order on the same user, the counts before
 * and after are reported, a replayed run that finds its steps done only finishes, and a count
 * mismatch or an identity bound elsewhere stops the migration before the account is activated
 * (nothing is merged, nobody is told "done").
 */
import { expect, test } from 'vitest';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { migrateUser } from '../../workflows';
import { EntradaStatusKey } from '../../lib/contracts/shared';
import {
  migrationCounts as counts,
  migrationId as workflowId,
  migrationInput as input,
  migrationSteps as steps,
} from '../support/migration-stubs';
import { rootCause, useTimeSkipping } from '../support/time-skipping';

const server = useTimeSkipping();

const step = { ...input, workflowId };

const start = (taskQueue: string) =>
  server.client.workflow.start<typeof migrateUser>('migrateUser', { taskQueue, workflowId, args: [input] });
const status = async (handle: WorkflowHandle) => (await handle.describe()).typedSearchAttributes.get(EntradaStatusKey);

test('links the identity on the same user, proves nothing moved, then tells the user and the onboarding', async () => {
  const stub = steps();
  const { result, finalStatus } = await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await start(taskQueue);
    return { result: await handle.result(), finalStatus: await status(handle) };
  });

  expect(stub.names()).toEqual([
    'markUserMigrating',
    'countMigrationObjects',
    'linkMigratedIdentity',
    'disableMigratedPassword',
    'revokeMigratedSessions',
    'verifyMigrationCounts',
    'completeMigration',
    'notifyUserMigrated',
    'reportMigrationEvidence',
  ]);
  for (const name of [
    'markUserMigrating',
    'linkMigratedIdentity',
    'disableMigratedPassword',
    'revokeMigratedSessions',
    'completeMigration',
    'notifyUserMigrated',
  ] as const) {
    expect(stub.inputsOf(name), name).toEqual([step]);
  }
  expect(stub.inputsOf('countMigrationObjects')).toEqual([{ userId: 'u-ada', phase: 'before' }]);
  expect(stub.inputsOf('verifyMigrationCounts')).toEqual([{ ...step, countsBefore: counts }]);
  const auditEventIds = ['a-started', 'a-linked', 'a-password', 'a-sessions', 'a-verified', 'a-completed'];
  expect(stub.inputsOf('reportMigrationEvidence')).toEqual([{ ...step, auditEventIds, countsBefore: counts }]);
  expect(result).toEqual({
    userId: 'u-ada',
    countsBefore: counts,
    countsAfter: counts,
    auditEventIds,
    completedAt: '2026-01-02T03:04:05.000Z',
  });
  expect(finalStatus).toBe('migrated');
});

test('a run replayed after its account steps all finished goes straight to the notice, citing the original audit trail', async () => {
  const original = {
    countsBefore: counts,
    countsAfter: counts,
    completedAt: '2026-01-01T00:00:00.000Z',
    auditEventIds: ['a-started', 'a-linked', 'a-verified', 'a-completed'],
  };
  const stub = steps({ markUserMigrating: () => ({ auditEventId: 'a-resumed', completed: original }) });
  const result = await server.withWorker(stub.activities, (taskQueue) => start(taskQueue).then((h) => h.result()));

  expect(stub.names()).toEqual(['markUserMigrating', 'notifyUserMigrated', 'reportMigrationEvidence']);
  expect(stub.inputsOf('reportMigrationEvidence')).toEqual([{ ...step, auditEventIds: original.auditEventIds, countsBefore: counts }]);
  expect(result).toEqual({
    userId: 'u-ada',
    countsBefore: counts,
    countsAfter: counts,
    auditEventIds: original.auditEventIds,
    completedAt: original.completedAt,
  });
});

test('a step that fails for a moment is retried and audited once', async () => {
  let failures = 0;
  const stub = steps({
    revokeMigratedSessions: () => {
      if (failures++ < 1) throw new Error('connection reset');
      return { auditEventId: 'a-sessions' };
    },
  });
  const result = await server.withWorker(stub.activities, (taskQueue) => start(taskQueue).then((h) => h.result()));
  expect(stub.inputsOf('revokeMigratedSessions')).toHaveLength(2);
  expect(result.auditEventIds).toEqual(['a-started', 'a-linked', 'a-password', 'a-sessions', 'a-verified', 'a-completed']);
});

test.each([
  {
    refusal: 'object counts changed',
    failing: 'verifyMigrationCounts' as const,
    message: 'Object counts changed during migration of u-ada: filesOwned 3 → 2',
    notReached: ['completeMigration', 'notifyUserMigrated', 'reportMigrationEvidence'],
    lastStatus: 'verifying',
  },
  {
    refusal: 'the Entra identity is bound to another account',
    failing: 'linkMigratedIdentity' as const,
    message: 'Entra identity oid-ada is already bound to another user',
    notReached: ['disableMigratedPassword', 'revokeMigratedSessions', 'verifyMigrationCounts', 'completeMigration', 'notifyUserMigrated'],
    lastStatus: 'linking-identity',
  },
])(
  '$refusal: the migration fails at that step, with no retry and nothing after it',
  async ({ failing, message, notReached, lastStatus }) => {
    const stub = steps({
      [failing]: () => {
        throw ApplicationFailure.create({ type: 'Conflict', nonRetryable: true, message });
      },
    });
    const { failure, lastSeen } = await server.withWorker(stub.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      return { failure: await handle.result().catch((e: unknown) => e), lastSeen: await status(handle) };
    });

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(rootCause(failure)).toMatchObject({ type: 'Conflict', message });
    expect(stub.inputsOf(failing)).toHaveLength(1);
    for (const name of notReached) expect(stub.names()).not.toContain(name);
    expect(lastSeen).toBe(lastStatus);
  },
);
