import { beforeAll, expect, test, vi } from 'vitest';
import { inject } from 'vitest';
import type { LogsIngestionEmulator } from '../../emulator/logs-ingestion';
import { audit } from '../../lib/audit';
import { AuditEventModel } from '../../lib/models';
import { saveStreamConfig } from '../../lib/audit-stream/config';
import { streamCursor } from '../../lib/audit-stream/progress';
import { customerWorkspace } from './support';
import { startWorkerProcess } from './worker-process';
import { useStack } from '../support/stack';
import { until } from '../support/until';

/**
 * A worker process killed (SIGKILL) while the workspace holds its batch without answering:
 * the rows were stored, the cursor did not move. Another worker takes the round over after the
 * heartbeat timeout and sends the batch again: every event arrives, duplicates carry the same
 * EventId and the same row, and nothing is lost.
 */
vi.setConfig({ testTimeout: 180_000 });

const stack = useStack({ monitor: true, web: false });
let monitor: LogsIngestionEmulator;
beforeAll(() => void (monitor = stack.monitor.emulator));

test('worker killed mid-batch: after recovery every event is in the workspace, once by EventId', async () => {
  const ws = await customerWorkspace(stack.monitor);
  const before: string[] = [];
  for (let i = 0; i < 40; i++)
    before.push(await audit({ action: 'file.download', outcome: 'success', tenantId: ws.tenantId, ip: '198.51.100.4', details: { i } }));
  await saveStreamConfig(stack.env, ws.tenantId, ws.config, { kind: 'staff', email: 'ops@entrada.test' });

  // The workspace stores the first batch, then holds the answer: the worker dies waiting for it.
  monitor.faults.set({ kind: 'slow', delayMs: 120_000, afterStore: true, times: 1 });
  const doomed = await startWorkerProcess(stack.env.envVars, inject('workflowBundlePath'));
  await until('the first batch stored', () => monitor.rows(ws.dcr).length > 0);
  await doomed.kill();
  expect(await streamCursor(ws.tenantId)).toBe(0);

  const during: string[] = [];
  for (let i = 0; i < 5; i++) during.push(await audit({ action: 'file.view', outcome: 'success', tenantId: ws.tenantId, details: { i } }));
  await stack.env.startWorkers();
  const all = [...before, ...during];
  await until('every event delivered', () => {
    const ids = new Set(monitor.rows(ws.dcr).map((r) => String(r.row.EventId)));
    return all.every((id) => ids.has(id));
  });

  const rows = monitor.rows(ws.dcr).map((r) => r.row);
  const byId = new Map<string, unknown[]>();
  for (const row of rows) byId.set(String(row.EventId), [...(byId.get(String(row.EventId)) ?? []), row]);
  // Exactly the tenancy's events (the audit of its stream configuration included), each once by
  // EventId; the resent batch made duplicates, identical to the first copies.
  const tenancy = (await AuditEventModel.find({ tenantId: ws.tenantId }, { _id: 1 }).lean()).map((e) => String(e._id));
  expect([...byId.keys()].sort()).toEqual(tenancy.sort());
  expect(rows.length).toBeGreaterThan(byId.size);
  for (const copies of byId.values()) for (const copy of copies) expect(copy).toEqual(copies[0]);
});
