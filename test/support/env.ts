import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Long from 'long';
import { inject } from 'vitest';
import mongoose from 'mongoose';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { parseConfig, type Config } from '../../lib/config';
import { connectDb } from '../../lib/db';
import { createMailer, type Mailer } from '../../lib/mailer';
import type { ActivityDeps } from '../../activities';
import { createWorkers, runWorkers } from '../../worker/workers';
import { createApp } from '../../web/app';
import { Inbox } from '../../scripts/lib/inbox';
import { watchUnacknowledgedWrites } from './unacknowledged-writes';
import { TEST_MONGO_BASE, TEST_TEMPORAL_ADDRESS } from '../../scripts/lib/test-services';
import './quiet-runtime';
import { searchAttributeTypes } from '../../scripts/lib/services';

export interface RunningWorkers {
  workers: Worker[];
  /** Graceful shutdown, like SIGTERM: in-flight tasks finish or are handed back. */
  stop(): Promise<void>;
}

export interface TestEnv {
  id: string;
  /** The variables the config was parsed from (for processes a test starts). */
  envVars: Record<string, string>;
  config: Config;
  namespace: string;
  temporal: Client;
  inbox: Inbox;
  mailer: Mailer;
  deps: ActivityDeps;
  /** Where the web app answers once `startWeb()` was called (known from the start). */
  baseUrl: string;
  startWorkers(): Promise<RunningWorkers>;
  startWeb(): Promise<string>;
  teardown(): Promise<void>;
}

/**
 * Everything one test file needs on real parts: its own Temporal namespace (with the custom
 * search attributes), its own MongoDB database on the shared FerretDB, its own SMTP inbox, and
 * the real worker and web app wired to them. Call in beforeAll, `teardown()` in afterAll.
 */
export async function createTestEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  const id = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const namespace = id;
  const inbox = new Inbox();
  const smtpUrl = await inbox.start();

  // Reserve the web port first so PUBLIC_BASE_URL (SAML ACS, email links) is right everywhere.
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const envVars: Record<string, string> = {
    NODE_ENV: 'test',
    MONGO_URL: `${TEST_MONGO_BASE}/${id}`,
    TEMPORAL_ADDRESS: TEST_TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: `entrada-${id}`,
    SMTP_URL: smtpUrl,
    PUBLIC_BASE_URL: baseUrl,
    ...env,
  };
  const config = parseConfig(envVars);

  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  await connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(24 * 3600) },
  });
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: searchAttributeTypes(),
  });
  const temporal = new Client({ connection, namespace });

  await connectDb(config.MONGO_URL, { monitorCommands: true });
  const unacknowledgedWrites = watchUnacknowledgedWrites(mongoose.connection.getClient());
  const mailer = createMailer({ smtpUrl, from: config.MAIL_FROM });
  const deps: ActivityDeps = { config, mailer };
  const running: RunningWorkers[] = [];

  return {
    id,
    envVars,
    config,
    namespace,
    temporal,
    inbox,
    mailer,
    deps,
    baseUrl,
    async startWorkers() {
      const workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
      const workers = await createWorkers({
        connection: workerConnection,
        namespace,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        deps,
        workflowBundle: { codePath: inject('workflowBundlePath') },
      });
      const done = runWorkers(workers);
      const handle: RunningWorkers = {
        workers,
        async stop() {
          running.splice(running.indexOf(handle), 1);
          workers.forEach((w) => w.getState() === 'RUNNING' && w.shutdown());
          await done;
          await workerConnection.close();
        },
      };
      running.push(handle);
      return handle;
    },
    async startWeb() {
      server.on('request', createApp({ config, temporal, mailer }));
      return baseUrl;
    },
    async teardown() {
      await Promise.all([...running].map((r) => r.stop()));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      mailer.close();
      await inbox.stop();
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await mongoose.disconnect();
      await connection.close();
      const offenders = unacknowledgedWrites();
      if (offenders.length)
        throw new Error(`unacknowledged (w: 0) writes were sent; FerretDB crosses replies after them:\n${offenders.join('\n')}`);
    },
  };
}
