/**
 * The web app and worker on Temporal's time-skipping test server (days pass in milliseconds),
 * over the test file's real database and SMTP inbox: for the deprovisioning saga's windows.
 * Workers can be stopped and started again, as a crashed and restarted worker process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal as proto } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { purgeTaskQueue, SEARCH_ATTRIBUTES } from '../../lib/contracts/shared';
import { toolPaths } from '../../scripts/lib/tools';
import { createApp } from '../../web/app';
import type { TestEnv } from '../support/env';

export interface SkippingStack {
  timeEnv: TestWorkflowEnvironment;
  /** Base URL of a web app whose Temporal client is the time-skipping server's. */
  baseUrl: string;
  startWorker(): Promise<{ stop(): Promise<void> }>;
  close(): Promise<void>;
}

export async function startSkippingStack(env: TestEnv): Promise<SkippingStack> {
  const timeEnv = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: toolPaths().temporalTestServer } } });
  const namespace = timeEnv.namespace ?? 'default';
  await timeEnv.connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((n) => [n, proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
  });
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
