import { beforeAll, describe, expect, test, vi } from 'vitest';
import type { LogsIngestionEmulator } from '../../emulator/logs-ingestion';
import { audit } from '../../lib/audit';
import { saveStreamConfig } from '../../lib/audit-stream/config';
import { streamStatus } from '../../lib/audit-stream/control';
import { quarantinedEvents } from '../../lib/audit-stream/progress';
import { STREAM_COLUMNS } from '../../lib/audit-stream/columns';
import { auditStreamWorkflowId } from '../../lib/contracts/audit-stream';
import { AuditEventModel, AuditStreamProgressModel } from '../../lib/models';
import { customerWorkspace, type CustomerWorkspace } from './support';
import { useStack } from '../support/stack';
import { until } from '../support/until';

/**
 * The stream end to end: real workers (the stream queue), the real Temporal dev server and
 * FerretDB, and the Logs Ingestion emulator answering as Azure would, faults included.
 */
vi.setConfig({ testTimeout: 120_000 });

const staff = { kind: 'staff' as const, email: 'streams@entrada.test' };
const stack = useStack({ monitor: true, workers: true, staff: staff.email });
let monitor: LogsIngestionEmulator;
beforeAll(() => void (monitor = stack.monitor.emulator));

/** Events of a tenancy, as the app writes them. */
async function happen(tenantId: string, n: number, extra: Partial<Parameters<typeof audit>[0]> = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(
      await audit({
        action: 'file.upload',
        outcome: 'success',
        actor: { kind: 'user', userId: 'u1', email: 'alice@contoso.example' },
        target: { type: 'file', id: `f${i}` },
        tenantId,
        ip: '::ffff:203.0.113.9',
        userAgent: 'Mozilla/5.0 test',
        details: { name: `report-${i}.pdf` },
        ...extra,
      }),
    );
  }
  return ids;
}

const received = (ws: CustomerWorkspace) => monitor.rows(ws.dcr).map((r) => r.row);
const receivedIds = (ws: CustomerWorkspace) => received(ws).map((r) => String(r.EventId));
const allArrived = (ws: CustomerWorkspace, ids: string[]) =>
  until(`${ids.length} events in the workspace`, async () => ids.every((id) => receivedIds(ws).includes(id)));

async function configured(change: Record<string, unknown> = {}, opts: { role?: boolean } = {}) {
  const ws = await customerWorkspace(stack.monitor, opts);
  await saveStreamConfig(stack.env, ws.tenantId, { ...ws.config, ...change }, staff);
  return ws;
}

describe('delivery', () => {
  test('events arrive once each, as ASIM-style rows carrying their chain hash; lag and backlog settle at 0', async () => {
    const ws = await configured();
    const ids = await happen(ws.tenantId, 25);
    await allArrived(ws, ids);
    const rows = received(ws).filter((r) => r.EventOriginalType === 'file.upload');
    expect(rows.map((r) => r.EventId)).toEqual(ids);
    const first = (await AuditEventModel.findById(ids[0]).lean())!;
    expect(rows[0]).toEqual({
      TimeGenerated: first.at.toISOString(),
      EventId: ids[0],
      EventType: 'FileCreated',
      EventOriginalType: 'file.upload',
      EventResult: 'Success',
      ActorUsername: 'alice@contoso.example',
      ActorUserId: 'u1',
      TargetType: 'file',
      TargetId: 'f0',
      SrcIpAddr: '203.0.113.9',
      HttpUserAgent: 'Mozilla/5.0 test',
      EntradaTenantId: ws.tenantId,
      EntradaSeq: first.seq,
      EntradaHash: first.hash,
      EntradaPrevHash: first.prevHash,
    });
    // Standard level: no file names anywhere in what left.
    expect(JSON.stringify(received(ws))).not.toContain('report-');

    const status = await until('lag 0', async () => {
      const s = await streamStatus(stack.env.temporal, ws.tenantId);
      return s && s.backlog === 0 && s.cursor >= first.seq! + 24 && s;
    });
    expect(status).toMatchObject({ state: 'streaming', lagSeconds: 0 });
    const described = await stack.env.temporal.workflow.getHandle(auditStreamWorkflowId(ws.tenantId)).describe();
    expect(described.searchAttributes).toMatchObject({ EntradaStatus: ['streaming'], EntraTenantId: [ws.tenantId] });
    // The workflow answers 'streaming' as it enters the state, then records it (an activity).
    await expect
      .poll(() => AuditStreamProgressModel.findById(ws.tenantId).lean(), { timeout: 30_000 })
      .toMatchObject({ cursor: status.cursor, state: 'streaming' });
  });

  test('the extended level adds file names', async () => {
    const ws = await configured({ level: 'extended' });
    const ids = await happen(ws.tenantId, 2);
    await allArrived(ws, ids);
    expect(
      received(ws)
        .filter((r) => ids.includes(String(r.EventId)))
        .map((r) => r.TargetFileName),
    ).toEqual(['report-0.pdf', 'report-1.pdf']);
  });

  test("one tenancy's events never reach another tenancy's workspace", async () => {
    const [a, b] = [await configured(), await configured()];
    const [fromA, fromB] = [await happen(a.tenantId, 5), await happen(b.tenantId, 5)];
    await Promise.all([allArrived(a, fromA), allArrived(b, fromB)]);
    expect(received(a).every((r) => r.EntradaTenantId === a.tenantId)).toBe(true);
    expect(received(b).every((r) => r.EntradaTenantId === b.tenantId)).toBe(true);
    expect(receivedIds(b).filter((id) => fromA.includes(id))).toEqual([]);
    expect(receivedIds(a).filter((id) => fromB.includes(id))).toEqual([]);
  });
});

describe('answers other than 204', () => {
  test('429: the stream waits for Retry-After, then resends', async () => {
    const ws = await configured();
    await allArrived(ws, await happen(ws.tenantId, 1));
    monitor.faults.set({ kind: 'throttle', retryAfter: 3, times: 1 });
    const throttledAt = Date.now();
    const ids = await happen(ws.tenantId, 3);
    const waiting = await until('waiting', async () => {
      const s = await streamStatus(stack.env.temporal, ws.tenantId);
      return s?.state === 'waiting' && s;
    });
    expect(waiting.reason).toContain('Retry-After 3');
    await allArrived(ws, ids);
    expect(Date.now() - throttledAt).toBeGreaterThanOrEqual(3000);
  });

  test('413: the batch is split; an event too large on its own is quarantined and the rest delivered', async () => {
    const ws = await configured();
    await allArrived(ws, await happen(ws.tenantId, 1));
    monitor.limits.maxBytes = 2_500;
    try {
      const small = await happen(ws.tenantId, 12);
      const [huge] = await happen(ws.tenantId, 1, {
        outcome: 'failure',
        userAgent: 'x'.repeat(1000),
        details: { reason: 'r'.repeat(1000) },
      });
      const after = await happen(ws.tenantId, 2);
      await allArrived(ws, [...small, ...after]);
      expect(receivedIds(ws)).not.toContain(huge);
      expect(await quarantinedEvents(ws.tenantId)).toEqual([expect.objectContaining({ eventId: huge, status: 413 })]);
    } finally {
      monitor.limits.maxBytes = 1024 * 1024;
    }
  });

  test('401: one fresh token, then the batch goes through', async () => {
    const ws = await configured();
    await allArrived(ws, await happen(ws.tenantId, 1));
    const tokensBefore = monitor.answers()['token:200'] ?? 0;
    monitor.revokeTokens();
    const ids = await happen(ws.tenantId, 2);
    await allArrived(ws, ids);
    expect((monitor.answers()['token:200'] ?? 0) - tokensBefore).toBe(1);
  });

  test('a poisoned event is quarantined with the answer, and the stream goes on', async () => {
    // Poisoned before the stream starts, so it cannot have gone through first.
    const ws = await customerWorkspace(stack.monitor);
    const [before, poisoned] = [await happen(ws.tenantId, 3), await happen(ws.tenantId, 1)];
    monitor.faults.poisonEventIds.add(poisoned[0]);
    await saveStreamConfig(stack.env, ws.tenantId, ws.config, staff);
    const after = await happen(ws.tenantId, 3);
    try {
      await allArrived(ws, [...before, ...after]);
    } finally {
      monitor.faults.poisonEventIds.delete(poisoned[0]);
    }
    expect(receivedIds(ws)).not.toContain(poisoned[0]);
    expect(await quarantinedEvents(ws.tenantId)).toEqual([
      expect.objectContaining({ eventId: poisoned[0], status: 400, error: expect.stringContaining('InvalidContent') }),
    ]);
    expect(
      await AuditEventModel.countDocuments({ tenantId: ws.tenantId, action: 'audit-stream.quarantined', 'target.id': poisoned[0] }),
    ).toBe(1);
    const console = stack.staff;
    await console.get(`/staff/audit-streams/${ws.tenantId}`);
    expect(console.lastHtml).toContain('Quarantined events');
    expect(console.lastHtml).toContain(poisoned[0]);
    expect(console.lastHtml).toMatch(/Backlog: <strong id="stream-backlog">\d+<\/strong>/);
  });
});

describe('what only staff can fix', () => {
  test('a missing role pauses the stream with the reason and one staff notice, without retrying; a save resumes it', async () => {
    const ws = await configured({}, { role: false });
    const ids = await happen(ws.tenantId, 3);
    const paused = await until('paused', async () => {
      const s = await streamStatus(stack.env.temporal, ws.tenantId);
      return s?.state === 'paused' && s;
    });
    expect(paused.reason).toContain('lacks the Monitoring Metrics Publisher role on the DCR (403)');
    const notice = await stack.env.inbox.waitFor((m) => m.subject === `Audit stream paused for tenant ${ws.tenantId}`);
    expect(notice.text).toContain('lacks the Monitoring Metrics Publisher role');
    const forbidden = monitor.answers()['403'];
    await new Promise((r) => setTimeout(r, 4000));
    expect(monitor.answers()['403']).toBe(forbidden); // no retry storm
    expect(await AuditStreamProgressModel.findById(ws.tenantId).lean()).toMatchObject({ state: 'paused', reason: paused.reason });

    monitor.createDcr({
      immutableId: ws.dcr,
      streams: { [String(ws.config.streamName)]: STREAM_COLUMNS.map((c) => ({ ...c })) },
      publishers: [ws.app.clientId],
    });
    await saveStreamConfig(stack.env, ws.tenantId, { ...ws.config, clientSecret: undefined }, staff);
    await allArrived(ws, ids);
  });

  test('a wrong secret pauses the stream with Entra’s reason', async () => {
    const ws = await configured({ clientSecret: 'not-the-secret' });
    await happen(ws.tenantId, 1);
    const paused = await until('paused', async () => {
      const s = await streamStatus(stack.env.temporal, ws.tenantId);
      return s?.state === 'paused' && s;
    });
    expect(paused.reason).toContain('Entra refused the client secret (AADSTS7000215');
    expect(received(ws)).toEqual([]);
  });

  test('switched off, the workflow ends; switched on, it resumes from its cursor', async () => {
    const ws = await configured();
    const first = await happen(ws.tenantId, 2);
    await allArrived(ws, first);
    await saveStreamConfig(stack.env, ws.tenantId, { ...ws.config, clientSecret: undefined, enabled: false }, staff);
    const handle = stack.env.temporal.workflow.getHandle(auditStreamWorkflowId(ws.tenantId));
    expect(await handle.result()).toMatchObject({ state: 'off' });
    const second = await happen(ws.tenantId, 2);
    await saveStreamConfig(stack.env, ws.tenantId, { ...ws.config, clientSecret: undefined, enabled: true }, staff);
    await allArrived(ws, second);
    const counts = new Map<string, number>();
    for (const id of receivedIds(ws)) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...first, ...second].map((id) => counts.get(id))).toEqual([1, 1, 1, 1]);
  });
});
