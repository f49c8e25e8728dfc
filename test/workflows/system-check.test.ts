/** systemCheck on the time-skipping server with a stubbed activity: result, input, retry limit. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { systemCheck } from '../../workflows';
import { stubActivities } from '../support/stub-activities';
import { rootCause, startTimeSkipping, withWorker } from '../support/time-skipping';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(() => env?.teardown());

const input = { checkId: 'chk-1', notify: 'ops@example.test' };
const run = (taskQueue: string) => env.client.workflow.execute<typeof systemCheck>('systemCheck', { taskQueue, workflowId: `check-${taskQueue}`, args: [input] });

test('returns what the check recorded, for the check it was asked to run', async () => {
  const stub = stubActivities({ recordSystemCheck: () => ({ auditEventId: 'audit-1', emailed: true }) });
  const result = await withWorker(env, stub.activities, run);
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
  expect(await withWorker(env, flaky.activities, run)).toEqual({ auditEventId: 'audit-2', emailed: false });
  expect(flaky.calls).toHaveLength(3);

  const broken = stubActivities({
    recordSystemCheck: () => {
      throw new Error('MongoDB is down');
    },
  });
  const failure = await withWorker(env, broken.activities, run).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(rootCause(failure).message).toBe('MongoDB is down');
  expect(broken.calls).toHaveLength(5);
});
