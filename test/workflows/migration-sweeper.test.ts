/** migrationSweeper with stubbed activities: every stalled account is tried once, and the result counts the restarts. */
import { expect, test } from 'vitest';
import type { migrationSweeper } from '../../workflows';
import { EntradaStatusKey } from '../../lib/contracts/shared';
import { stubActivities } from '../support/stub-activities';
import { useTimeSkipping } from '../support/time-skipping';

const server = useTimeSkipping();

const migration = (userId: string) => ({
  userId,
  tenantId: 'tid-contoso',
  objectId: `oid-${userId}`,
  nameId: `${userId}@contoso.example`,
  email: `${userId}@contoso.example`,
});

test('restarts each stalled migration it can, reports the ones it cannot, and says so in its status', async () => {
  const stalled = [{ userId: 'u-1', input: migration('u-1') }, { userId: 'u-2' }, { userId: 'u-3', input: migration('u-3') }];
  const stub = stubActivities({
    findStalledMigrations: () => stalled,
    // u-2 has no identity to restart with; u-3's migration came back to life meanwhile.
    restartStalledMigration: (m) => ({ restarted: m.userId === 'u-1' }),
  });
  const { result, status } = await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await server.client.workflow.start<typeof migrationSweeper>('migrationSweeper', {
      taskQueue,
      workflowId: `sweep-${taskQueue}`,
    });
    return { result: await handle.result(), status: (await handle.describe()).typedSearchAttributes.get(EntradaStatusKey) };
  });

  expect(stub.inputsOf('restartStalledMigration')).toEqual(stalled);
  expect(result).toEqual({ found: 3, restarted: 1 });
  expect(status).toBe('swept');
});

test('nothing stalled: nothing restarted', async () => {
  const stub = stubActivities({ findStalledMigrations: () => [] });
  const result = await server.withWorker(stub.activities, (taskQueue) =>
    server.client.workflow.execute<typeof migrationSweeper>('migrationSweeper', { taskQueue, workflowId: `sweep-${taskQueue}` }),
  );
  expect(result).toEqual({ found: 0, restarted: 0 });
  expect(stub.names()).toEqual(['findStalledMigrations']);
});
