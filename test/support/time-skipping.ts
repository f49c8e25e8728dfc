/**
 * The time-skipping test server (the provisioned binary, never a download) with Entrada's
 * search attributes, and a worker per test on its own task queue running the prebuilt
 * workflow bundle over stubbed activities. Days of workflow timers pass in milliseconds.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import type { Client, WorkflowClientInterceptor } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { toolPaths } from '../../scripts/lib/tools';
import { purgeTaskQueue } from '../../lib/contracts/shared';
import './quiet-runtime';
import { searchAttributeTypes } from '../../scripts/lib/services';

/** Workflows started per task queue, so a test's leftovers can be ended with it. */
const startedOn = new Map<string, { workflowId: string; runId: string }[]>();
const recordStarts: WorkflowClientInterceptor = {
  async startWithDetails(input, next) {
    const output = await next(input);
    const { taskQueue, workflowId } = input.options;
    startedOn.set(taskQueue, [...(startedOn.get(taskQueue) ?? []), { workflowId, runId: output.runId }]);
    return output;
  },
};

export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPaths().temporalTestServer } },
    client: { interceptors: { workflow: [recordStarts] } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: searchAttributeTypes(),
  });
  return env;
}

/** A test file's time-skipping server: started before its tests, torn down after them. */
export interface TimeSkipping {
  readonly env: TestWorkflowEnvironment;
  readonly client: Client;
  /** Moves workflow time on (timers fire, days in milliseconds). */
  sleep(ms: number): Promise<void>;
  /** See `withWorker`. */
  withWorker<T>(activities: object, test: (taskQueue: string) => Promise<T>): Promise<T>;
}

export function useTimeSkipping(): TimeSkipping {
  let env: TestWorkflowEnvironment | undefined;
  beforeAll(async () => {
    env = await startTimeSkipping();
  });
  afterAll(() => env?.teardown());
  const started = (): TestWorkflowEnvironment => {
    if (!env) throw new Error('the time-skipping server starts in beforeAll');
    return env;
  };
  return {
    get env() {
      return started();
    },
    get client() {
      return started().client;
    },
    sleep: (ms) => started().sleep(ms),
    withWorker: (activities, test) => withWorker(started(), activities, test),
  };
}

/**
 * The failure a workflow ended with, under its wrappers (WorkflowFailedError, ActivityFailure;
 * a local activity's failure arrives with one wrapper fewer than a regular one's).
 */
export function rootCause(err: unknown): Error {
  let e = err as Error;
  while (e.cause instanceof Error) e = e.cause;
  return e;
}

let queues = 0;

/**
 * Stubbed workflows finish in about a second. A test still running after this waits for
 * something that will never come (an update whose condition never holds); failing it here,
 * inside withWorker, still shuts the worker down and ends its workflows, so the tests after
 * it run normally instead of timing out behind it.
 */
const DEADLINE_MS = 20_000;
async function withDeadline<T>(running: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the workflow test did not finish within ${DEADLINE_MS / 1000} s`)), DEADLINE_MS);
  });
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `test` while workers serve a fresh task queue and its purge queue (as worker/workers.ts
 * does), then shuts them down. A fresh queue per test keeps one test's workflows from
 * reaching the next test's stubs. Workflows the test left running are terminated: a timer of
 * theirs firing later would wait for a worker that is gone, and the test server stops
 * skipping time while any workflow task is outstanding, so every later test would hang.
 */
export async function withWorker<T>(env: TestWorkflowEnvironment, activities: object, test: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `unit-${process.pid}-${++queues}`;
  const common = { connection: env.nativeConnection, namespace: env.namespace ?? 'default', activities };
  const [main, purge] = await Promise.all([
    Worker.create({ ...common, taskQueue, workflowBundle: { codePath: inject('workflowBundlePath') } }),
    Worker.create({ ...common, taskQueue: purgeTaskQueue(taskQueue) }),
  ]);
  try {
    return await purge.runUntil(main.runUntil(() => withDeadline(test(taskQueue))));
  } finally {
    await terminateLeftovers(env, taskQueue);
  }
}

async function terminateLeftovers(env: TestWorkflowEnvironment, taskQueue: string): Promise<void> {
  for (const { workflowId, runId } of startedOn.get(taskQueue) ?? []) {
    const handle = env.client.workflow.getHandle(workflowId, runId);
    if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('the test that started it has ended');
  }
  startedOn.delete(taskQueue);
}
