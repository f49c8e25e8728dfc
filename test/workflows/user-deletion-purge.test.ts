/**
 * The purge step of deleteUser, resumed: an attempt that dies mid-purge is retried on the
 * purge queue with the checkpoint it heartbeated, and the progress staff see never moves
 * backwards when a dead attempt's progress signal arrives late.
 */
import { expect, test } from 'vitest';
import { Context } from '@temporalio/activity';
import type { PurgeCheckpoint } from '../../activities/deletion/purge-files';
import type { deleteUser } from '../../workflows';
import { deletionWorkflowId } from '../../lib/contracts/shared';
import { deletionProgressQuery, filePurgeProgressSignal, type FilePurgeProgress } from '../../lib/contracts/deletion';
import { deletionSteps, requestedBy } from '../support/deletion-stubs';
import { useTimeSkipping } from '../support/time-skipping';

const server = useTimeSkipping();

const userId = 'u-bob';
const workflowId = deletionWorkflowId(userId);
const progressTo = (files: FilePurgeProgress) =>
  Context.current().client.workflow.getHandle(workflowId).signal(filePurgeProgressSignal, files);

test('a purge that dies after two of five batches resumes from its checkpoint, and its progress only moves forward', async () => {
  const resumedFrom: unknown[] = [];
  const seenByStaff: number[] = [];
  const stub = deletionSteps({
    async purgeUserFiles() {
      const { attempt, heartbeatDetails } = Context.current().info;
      if (attempt === 1) {
        const checkpoint: PurgeCheckpoint = { total: 50, purged: 20, bytes: 2_000, totalBytes: 5_000 };
        Context.current().heartbeat(checkpoint);
        await progressTo({ total: 50, purged: 20, bytes: 2_000 });
        seenByStaff.push((await Context.current().client.workflow.getHandle(workflowId).query(deletionProgressQuery)).files.purged);
        throw new Error('worker lost mid-batch');
      }
      resumedFrom.push(heartbeatDetails);
      // The dead attempt's last signal, delivered late: older than what staff already saw.
      await progressTo({ total: 50, purged: 10, bytes: 1_000 });
      seenByStaff.push((await Context.current().client.workflow.getHandle(workflowId).query(deletionProgressQuery)).files.purged);
      await progressTo({ total: 50, purged: 50, bytes: 5_000 });
      return { purged: 50, bytes: 5_000, auditEventId: 'd-files' };
    },
  });

  const result = await server.withWorker(stub.activities, (taskQueue) =>
    server.client.workflow.execute<typeof deleteUser>('deleteUser', { taskQueue, workflowId, args: [{ userId, requestedBy }] }),
  );

  expect(stub.calls.filter((c) => c.name === 'purgeUserFiles').map((c) => c.attempt)).toEqual([1, 2]);
  expect(resumedFrom).toEqual([{ total: 50, purged: 20, bytes: 2_000, totalBytes: 5_000 }]);
  expect(seenByStaff).toEqual([20, 20]);
  expect(result.counts).toMatchObject({ files: 50, bytes: 5_000 });
  // The steps after the purge ran once, after it finished.
  expect(stub.names().slice(-4)).toEqual(['releaseUserHubs', 'removeUserLinks', 'tombstoneUser', 'notifyUserDeleted']);
});
