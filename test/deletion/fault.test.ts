import { expect, test } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { requestUserDeletion } from '../../lib/deletion/requests';
import { AuditEventModel, FileModel } from '../../lib/models';
import { deletionProgressQuery, type FilePurgeProgress } from '../../lib/contracts/deletion';
import { useStack } from '../support/stack';
import { blobCounts, seedFiles } from '../../scripts/lib/seed-files';
import { createUser } from '../support/people';

const stack = useStack({ web: false });

const FILES = 2_000;

test('the worker stopped at ~40 % of a purge: after restart it resumes, every file is gone exactly once, no orphan chunk, counts right', async () => {
  const user = await createUser({ email: 'many.files@example.test' });
  // A quarter stored inline (as uploads are now, purged first), the rest in GridFS (as stored
  // before inline files): the stop lands in the GridFS pass, where a batch spans three collections.
  const ids = [
    ...(await seedFiles(user._id, { count: FILES / 4, size: 1024 })),
    ...(await seedFiles(user._id, { count: (FILES * 3) / 4, size: 1024, layout: 'gridfs' })),
  ];
  const blobIds = (await FileModel.find({ _id: { $in: ids } }, { blobId: 1 }).lean()).map((f) => f.blobId);
  expect(blobIds.filter(Boolean)).toHaveLength((FILES * 3) / 4);

  const workers = await stack.env.startWorkers();
  const { handle } = await requestUserDeletion(stack.env.temporal, stack.env.config.TEMPORAL_TASK_QUEUE, {
    userId: user.id,
    requestedBy: { kind: 'system', reason: 'fault test' },
  });
  // Watch the purge through the workflow's query (fed by the activity's heartbeated progress).
  const statuses = new Set<string>();
  const purged = async () => {
    const progress = await handle.query(deletionProgressQuery);
    statuses.add(progress.status);
    return progress.files.purged;
  };
  await expect.poll(purged, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(0.4 * FILES);
  await workers.stop();
  expect(['deleting', 'revoking-sessions', 'purging-files']).toEqual(expect.arrayContaining([...statuses]));

  // Mid-purge, and consistent between batches: every remaining GridFS file has its blob, no chunk is orphaned.
  const left = await FileModel.countDocuments({ ownerId: user._id });
  const leftInGridfs = await FileModel.countDocuments({ ownerId: user._id, blobId: { $exists: true } });
  expect(left).toBeGreaterThan(0);
  expect(left).toBeLessThanOrEqual(0.6 * FILES);
  expect(await blobCounts(blobIds)).toEqual({ chunks: leftInGridfs, files: leftInGridfs, orphanChunks: 0 });

  await stack.env.startWorkers(); // stopped by teardown
  const result = await handle.result();

  expect(await FileModel.countDocuments({ ownerId: user._id })).toBe(0);
  expect(await blobCounts(blobIds)).toEqual({ chunks: 0, files: 0, orphanChunks: 0 });
  expect(result.counts).toMatchObject({ files: FILES, bytes: FILES * 1024 });
  const purgeAudits = await AuditEventModel.find({ action: 'user.deletion.purge-files', 'target.id': user.id }).lean();
  expect(purgeAudits.map((e) => e.details.result)).toEqual([{ purged: FILES, bytes: FILES * 1024 }]);

  // The second attempt picked up from the heartbeat: same total, progress never went back.
  const history = await handle.fetchHistory();
  const purgeStarted = history.events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'purgeUserFiles');
  expect(purgeStarted).toHaveLength(1);
  const attempts = history.events!.flatMap((e) =>
    e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === purgeStarted[0].eventId?.toString()
      ? [e.activityTaskStartedEventAttributes!.attempt]
      : [],
  );
  expect(attempts[0]).toBeGreaterThanOrEqual(2);
  const signals = history.events!.flatMap((e) =>
    e.workflowExecutionSignaledEventAttributes?.signalName === 'filePurgeProgress'
      ? [defaultPayloadConverter.fromPayload<FilePurgeProgress>(e.workflowExecutionSignaledEventAttributes.input!.payloads![0])]
      : [],
  );
  expect(signals.every((s) => s.total === FILES)).toBe(true);
  expect(signals.map((s) => s.purged)).toEqual([...signals.map((s) => s.purged)].sort((a, b) => a - b));
  expect(signals.map((s) => s.purged)).toContain(FILES - left);
  expect(signals.at(-1)).toEqual({ total: FILES, purged: FILES, bytes: FILES * 1024 });
});
