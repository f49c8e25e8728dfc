/**
 * The web app and worker on Temporal's time-skipping test server (days pass in milliseconds),
 * over the test file's real database and SMTP inbox: for the deprovisioning saga's windows.
 * Workers can be stopped and started again, as a crashed and restarted worker process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { purgeTaskQueue } from '../../lib/contracts/shared';
import { createApp } from '../../web/app';
import type { TestEnv } from '../support/env';
import { startTimeSkipping } from '../support/time-skipping';

export interface SkippingStack {
  timeEnv: TestWorkflowEnvironment;
  /** Base URL of a web app whose Temporal client is the time-skipping server's. */
  baseUrl: string;
  startWorker(): Promise<{ stop(): Promise<void> }>;
  close(): Promise<void>;
}

export async function startSkippingStack(env: TestEnv): Promise<SkippingStack> {
  const timeEnv = await startTimeSkipping();
  const namespace = timeEnv.namespace ?? 'default';
  const server = http.createServer(createApp({ config: env.config, temporal: timeEnv.client, mailer: env.mailer }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const workers = new Set<{ stop(): Promise<void> }>();
  return {
    timeEnv,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async startWorker() {
      // The base queue and the purge queue, as a worker process runs them. No workflow cache: a
      // stopped worker leaves no sticky queue behind, which the test server would wait on.
      const common = { connection: timeEnv.nativeConnection, namespace, activities: createActivities(env.deps), maxCachedWorkflows: 0 };
      const both = await Promise.all([
        Worker.create({ ...common, taskQueue: env.config.TEMPORAL_TASK_QUEUE, workflowBundle: { codePath: inject('workflowBundlePath') } }),
        Worker.create({ ...common, taskQueue: purgeTaskQueue(env.config.TEMPORAL_TASK_QUEUE) }),
      ]);
      const running = Promise.all(both.map((w) => w.run()));
      const handle = {
        async stop() {
          workers.delete(handle);
          both.forEach((w) => w.getState() === 'RUNNING' && w.shutdown());
          await running;
        },
      };
      workers.add(handle);
      return handle;
    },
    async close() {
      await Promise.all([...workers].map((w) => w.stop()));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await timeEnv.teardown();
    },
  };
}
