/** systemCheck on the time-skipping server with a stubbed activity: result, input, retry limit. */
import { expect, test } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import type { systemCheck } from '../../workflows';
import { stubActivities } from '../support/stub-activities';
import { rootCause, useTimeSkipping } from '../support/time-skipping';

const server = useTimeSkipping();

const input = { checkId: 'chk-1', notify: 'ops@example.test' };
const run = (taskQueue: string) =>
  server.client.workflow.execute<typeof systemCheck>('systemCheck', { taskQueue, workflowId: `check-${taskQueue}`, args: [input] });

test('returns what the check recorded, for the check it was asked to run', async () => {
  const stub = stubActivities({ recordSystemCheck: () => ({ auditEventId: 'audit-1', emailed: true }) });
  const result = await server.withWorker(stub.activities, run);
  expect(result).toEqual({ auditEventId: 'audit-1', emailed: true });
  expect(stub.inputsOf('recordSystemCheck')).toEqual([input]);
});

test('a failing check is retried, and after five attempts the workflow fails with its error', async () => {
  const flaky = stubActivities({
    recordSystemCheck: () => {
      if (flaky.calls.length < 3) throw new Error('SMTP refused the connection');
      return { auditEventId: 'audit-2', emailed: false };
    },
  });
  expect(await server.withWorker(flaky.activities, run)).toEqual({ auditEventId: 'audit-2', emailed: false });
  expect(flaky.calls).toHaveLength(3);

  const broken = stubActivities({
    recordSystemCheck: () => {
      throw new Error('MongoDB is down');
    },
  });
  const failure = await server.withWorker(broken.activities, run).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(rootCause(failure).message).toBe('MongoDB is down');
  expect(broken.calls).toHaveLength(5);
});
