import { afterAll, beforeAll, expect, inject, test, vi } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { LogsIngestionEmulator } from '../../emulator/logs-ingestion';
import { createActivities } from '../../activities';
import { audit } from '../../lib/audit';
import { saveStreamConfig } from '../../lib/audit-stream/config';
import { auditStreamWorkflowId, streamStatusQuery, type AuditStreamWorkflow } from '../../lib/contracts/audit-stream';
import { AuditEventModel } from '../../lib/models';
import { useStack } from '../support/stack';
import { startTimeSkipping } from '../support/time-skipping';
import { customerWorkspace } from './support';

/**
 * The workspace unreachable for an hour, on the time-skipping test server: the stream backs
 * off (2 s doubling to 5 min, a few dozen attempts, no storm), says why it waits, and once the
 * service is back delivers every event exactly once. Real activities, FerretDB and emulator.
 */
vi.setConfig({ testTimeout: 180_000 });

const stack = useStack({ monitor: true, web: false });
let timeEnv: TestWorkflowEnvironment;
let monitor: LogsIngestionEmulator;
let worker: Worker;
let running: Promise<void>;
const QUEUE = 'audit-stream-outage';

beforeAll(async () => {
  monitor = stack.monitor.emulator;
  timeEnv = await startTimeSkipping();
  worker = await Worker.create({
    connection: timeEnv.nativeConnection,
    namespace: timeEnv.namespace ?? 'default',
    taskQueue: QUEUE,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities(stack.env.deps),
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await timeEnv?.teardown();
});

test('down for an hour: back-off without a storm, then every event exactly once', async () => {
  const ws = await customerWorkspace(stack.monitor);
  // The configuration as staff saved it (its signal-with-start goes to the dev server's copy; this test runs the workflow itself).
  await saveStreamConfig(stack.env, ws.tenantId, ws.config, { kind: 'staff', email: 'ops@entrada.test' });
  const ids: string[] = [];
  for (let i = 0; i < 30; i++)
    ids.push(
      await audit({
        action: 'auth.signin',
        outcome: i % 3 ? 'success' : 'failure',
        tenantId: ws.tenantId,
        ip: '192.0.2.10',
        details: { i },
      }),
    );

  monitor.faults.set({ kind: 'down' });
  const handle = await timeEnv.client.workflow.start<AuditStreamWorkflow>('auditStream', {
    taskQueue: QUEUE,
    workflowId: auditStreamWorkflowId(ws.tenantId),
    args: [{ tenantId: ws.tenantId }],
  });
  const startedAt = await timeEnv.currentTimeMs();
  await timeEnv.sleep('1h');

  const waiting = await handle.query(streamStatusQuery);
  expect(waiting).toMatchObject({ state: 'waiting', cursor: 0, backlog: 31 });
  expect(waiting.reason).toContain('did not answer');
  expect((await timeEnv.currentTimeMs()) - startedAt).toBeGreaterThanOrEqual(3600_000);
  const attempts = monitor.answers().down ?? 0;
  // 2 s, 4 s, … 256 s, then every 5 min: about 18 attempts in the hour.
  expect(attempts).toBeGreaterThanOrEqual(12);
  expect(attempts).toBeLessThanOrEqual(25);
  expect(monitor.rows(ws.dcr)).toEqual([]);

  monitor.faults.set(undefined);
  await timeEnv.sleep(Date.parse(waiting.retryAt!) - (await timeEnv.currentTimeMs()) + 1000);
  const tenancy = (await AuditEventModel.find({ tenantId: ws.tenantId }, { _id: 1 }).lean()).map((e) => String(e._id));
  await expect.poll(() => monitor.rows(ws.dcr).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(tenancy.length);
  const received = monitor.rows(ws.dcr).map((r) => String(r.row.EventId));
  expect(received.sort()).toEqual(tenancy.sort());
  expect(tenancy).toEqual(expect.arrayContaining(ids));
  expect(monitor.answers().down).toBe(attempts); // nothing more was tried while it was down
});
