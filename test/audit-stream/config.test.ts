import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { issueStaffToken } from '../../lib/accounts/staff-accounts';
import { auditStreamWorkflowId, streamTaskQueue } from '../../lib/contracts/audit-stream';
import { AuditEventModel, AuditStreamModel, TenantModel } from '../../lib/models';
import { configKeyProvider, openSecret } from '../../lib/secret-box';
import { json } from '../accounts/helpers';
import { useStack } from '../support/stack';

const stack = useStack({ staff: 'streams@entrada.test' });
let token: string;
const SECRET = 'Abc8Q~super-secret-value-of-the-customer-app';

beforeAll(async () => {
  ({ token } = await issueStaffToken('streams@entrada.test', 'tests'));
});

async function tenant() {
  const tenantId = randomUUID();
  await TenantModel.create({ tenantId, name: `T ${tenantId.slice(0, 4)}`, stage: 'live' });
  return tenantId;
}
const config = (tenantId: string, extra: Record<string, unknown> = {}) => ({
  endpoint: 'https://entrada-dce.westeurope-1.ingest.monitor.azure.com/',
  dcrImmutableId: `dcr-${'0a1b2c3d'.repeat(4)}`,
  streamName: 'Custom-EntradaAudit_CL',
  directoryId: tenantId.toUpperCase(),
  clientId: randomUUID(),
  clientSecret: SECRET,
  level: 'standard',
  enabled: true,
  ...extra,
});
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${stack.env.baseUrl}/api/staff/audit-streams${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await json(res) };
};

describe('configuring a stream (staff API)', () => {
  test('the secret is sealed at rest, never returned, and never in the audit trail; the stream workflow is started on its queue', async () => {
    const tid = await tenant();
    const saved = await api('PUT', `/${tid}`, config(tid));
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      tenantId: tid,
      endpoint: 'https://entrada-dce.westeurope-1.ingest.monitor.azure.com',
      directoryId: tid,
      clientSecret: { set: true, setAt: expect.any(String) },
      level: 'standard',
      enabled: true,
      workflowId: auditStreamWorkflowId(tid),
    });
    const read = await api('GET', `/${tid}`);
    expect(JSON.stringify(read.body)).not.toContain(SECRET);
    expect(JSON.stringify((await api('GET', '')).body)).not.toContain(SECRET);

    const stored = (await AuditStreamModel.findOne({ tenantId: tid }).lean())!;
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    expect(await openSecret(configKeyProvider(stack.env.config), stored.clientSecret, `audit-stream:${tid}`)).toBe(SECRET);
    // Sealed for this tenancy only: copied onto another, it does not open.
    await expect(openSecret(configKeyProvider(stack.env.config), stored.clientSecret, `audit-stream:${randomUUID()}`)).rejects.toThrow(
      'sealed for something else',
    );

    const events = await AuditEventModel.find({ tenantId: tid, action: 'audit-stream.configured' }).lean();
    expect(events).toHaveLength(1);
    expect(events[0].details).toMatchObject({ secretChanged: true, streamName: 'Custom-EntradaAudit_CL', level: 'standard' });
    expect(JSON.stringify(events)).not.toContain(SECRET);

    const run = await stack.env.temporal.workflow.getHandle(auditStreamWorkflowId(tid)).describe();
    expect(run.taskQueue).toBe(streamTaskQueue(stack.env.config.TEMPORAL_TASK_QUEUE));
  });

  test('a save without a secret keeps the old one; a new secret gets a new version', async () => {
    const tid = await tenant();
    const first = config(tid);
    await api('PUT', `/${tid}`, first);
    const before = (await AuditStreamModel.findOne({ tenantId: tid }).lean())!;
    const kept = await api('PUT', `/${tid}`, { ...first, clientSecret: undefined, level: 'extended' });
    expect(kept.body).toMatchObject({ level: 'extended', configVersion: before.configVersion + 1 });
    const after = (await AuditStreamModel.findOne({ tenantId: tid }).lean())!;
    expect([after.clientSecret, after.secretVersion]).toEqual([before.clientSecret, before.secretVersion]);

    await api('PUT', `/${tid}`, { ...first, clientSecret: 'a-brand-new-secret', level: 'extended' });
    const renewed = (await AuditStreamModel.findOne({ tenantId: tid }).lean())!;
    expect(renewed.secretVersion).toBe(before.secretVersion + 1);
    expect(await openSecret(configKeyProvider(stack.env.config), renewed.clientSecret, `audit-stream:${tid}`)).toBe('a-brand-new-secret');
    const changes = await AuditEventModel.find({ tenantId: tid, action: 'audit-stream.configured' }).sort({ seq: 1 }).lean();
    expect(
      changes.map((e) => [(e.details as { changed: string[] }).changed, (e.details as { secretChanged: boolean }).secretChanged]),
    ).toEqual([
      [expect.arrayContaining(['endpoint', 'level']), true],
      [['level'], false],
      [[], true],
    ]);
  });

  test.each([
    ['a plain http endpoint elsewhere', { endpoint: 'http://ingest.example.com' }, 400, 'endpoint: expected an https URL'],
    ['an endpoint with a query', { endpoint: 'https://x.ingest.monitor.azure.com/?a=1' }, 400, 'endpoint: expected an https URL'],
    ['a DCR ID that is not one', { dcrImmutableId: 'my-dcr' }, 400, 'dcrImmutableId: expected dcr- and 32 hex digits'],
    ['a stream that is not custom', { streamName: 'Microsoft-Syslog' }, 400, 'streamName: expected Custom-'],
    ['a client ID that is not a GUID', { clientId: 'entrada-app' }, 400, 'clientId: expected a GUID'],
    ['a level that does not exist', { level: 'verbose' }, 400, 'level: expected standard or extended'],
    ['no secret for a new stream', { clientSecret: undefined }, 400, 'clientSecret: required for a new stream'],
  ])('refused: %s', async (_name, change, status, message) => {
    const tid = await tenant();
    const res = await api('PUT', `/${tid}`, config(tid, change));
    expect([res.status, res.body.error.message]).toEqual([status, expect.stringContaining(message)]);
    expect(await AuditStreamModel.countDocuments({ tenantId: tid })).toBe(0);
  });

  test('an unknown tenant has no stream to configure', async () => {
    const tid = randomUUID();
    expect((await api('PUT', `/${tid}`, config(tid))).status).toBe(404);
    expect((await api('GET', `/${tid}`)).status).toBe(404);
  });
});

describe('the console page', () => {
  test('staff fill the form; the page then says a secret is set, never shows it, and a refusal keeps what was typed', async () => {
    const tid = await tenant();
    const staff = stack.staff;
    await staff.get(`/staff/audit-streams/${tid}`);
    expect(staff.lastHtml).toContain(`value="${tid}"`); // the directory ID starts as the tenant's own
    const form = { ...config(tid), enabled: 'on', level: 'extended' } as Record<string, string>;
    await staff.postForm(`/staff/audit-streams/${tid}`, { ...form, dcrImmutableId: 'nope' });
    expect(staff.lastHtml).toContain('dcrImmutableId: expected dcr- and 32 hex digits');
    expect(staff.lastHtml).toContain(`value="${form.clientId}"`);

    const res = await staff.postForm(`/staff/audit-streams/${tid}`, form);
    expect(res.status).toBe(200);
    expect(staff.lastHtml).toContain('Saved. The stream picks up the change now.');
    expect(staff.lastHtml).toContain('A secret is set');
    expect(staff.lastHtml).not.toContain(SECRET);
    // This file runs no worker: the page still shows, and says the stream did not answer.
    expect(staff.lastHtml).toContain('The stream workflow did not answer');
    expect(await AuditStreamModel.findOne({ tenantId: tid }).lean()).toMatchObject({ level: 'extended', enabled: true });

    await staff.get('/staff/audit-streams');
    expect(staff.lastHtml).toContain(`href="/staff/audit-streams/${tid}"`);
  });
});
