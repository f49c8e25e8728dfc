import { beforeAll, expect, test } from 'vitest';
import type { LogsIngestionEmulator } from '../../emulator/logs-ingestion';
import { saveStreamConfig } from '../../lib/audit-stream/config';
import { issueStaffToken } from '../../lib/accounts/staff-accounts';
import { AuditEventModel } from '../../lib/models';
import { customerWorkspace, STREAM_NAME } from './support';
import { useStack } from '../support/stack';

/** "Send test event": one row through the real path, and the exact HTTP answer of the call that stopped it. */
const staff = { kind: 'staff' as const, email: 'streams@entrada.test' };
const stack = useStack({ monitor: true, staff: staff.email });
let monitor: LogsIngestionEmulator;
let token: string;
beforeAll(async () => {
  monitor = stack.monitor.emulator;
  ({ token } = await issueStaffToken(staff.email, 'tests'));
});

const testEvent = async (tid: string) =>
  (await (
    await fetch(`${stack.env.baseUrl}/api/staff/audit-streams/${tid}/test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
  ).json()) as Record<string, unknown>;

test('a working stream: 204, and the row is in the workspace marked as a test', async () => {
  const ws = await customerWorkspace(stack.monitor);
  await saveStreamConfig(stack.env, ws.tenantId, ws.config, staff);
  const result = await testEvent(ws.tenantId);
  expect(result).toMatchObject({ ok: true, step: 'ingestion', status: 204, requestId: expect.any(String), explanation: '' });
  expect(String(result.url)).toBe(`${stack.monitor.url}/dataCollectionRules/${ws.dcr}/streams/${STREAM_NAME}?api-version=2023-01-01`);
  expect(monitor.rows(ws.dcr).map((r) => r.row)).toEqual([
    expect.objectContaining({
      EventId: result.eventId,
      EventType: 'EntradaTestEvent',
      EntradaTenantId: ws.tenantId,
      ActorUsername: staff.email,
    }),
  ]);
  const audited = await AuditEventModel.findOne({ tenantId: ws.tenantId, action: 'audit-stream.test-event' }).lean();
  expect(audited).toMatchObject({ outcome: 'success', details: { step: 'ingestion', status: 204 } });
});

test.each([
  [
    'a wrong secret',
    { clientSecret: 'not-the-secret' },
    true,
    { step: 'token', status: 401, explanation: expect.stringContaining('AADSTS7000215') },
  ],
  [
    'the app without its role on the DCR',
    {},
    false,
    { step: 'ingestion', status: 403, explanation: expect.stringContaining('lacks the Monitoring Metrics Publisher role on the DCR') },
  ],
  [
    'a DCR ID that does not exist',
    { dcrImmutableId: `dcr-${'e'.repeat(32)}` },
    true,
    { step: 'ingestion', status: 404, explanation: expect.stringContaining('the DCR or its stream was not found') },
  ],
])('%s: the exact answer and what it means', async (_name, change, role, expected) => {
  const ws = await customerWorkspace(stack.monitor, { role });
  await saveStreamConfig(stack.env, ws.tenantId, { ...ws.config, ...change }, staff);
  const result = await testEvent(ws.tenantId);
  expect(result).toMatchObject({ ok: false, ...expected, body: expect.stringMatching(/./) });
  expect(monitor.rows(ws.dcr)).toEqual([]);
});

test('no answer at all: status 0 and the network error; on the console page too', async () => {
  const ws = await customerWorkspace(stack.monitor);
  await saveStreamConfig(stack.env, ws.tenantId, ws.config, staff);
  monitor.faults.set({ kind: 'down' });
  try {
    expect(await testEvent(ws.tenantId)).toMatchObject({
      ok: false,
      step: 'token',
      status: 0,
      error: expect.any(String),
      explanation: expect.stringContaining('did not answer'),
    });
  } finally {
    monitor.faults.set(undefined);
  }
  const page = stack.staff;
  await page.get(`/staff/audit-streams/${ws.tenantId}`);
  await page.postForm(`/staff/audit-streams/${ws.tenantId}/test`, {});
  expect(page.lastHtml).toMatch(/<td id="test-status">204<\/td>/);
  expect(page.lastHtml).toContain('Test event: delivered');
});
