import { randomUUID } from 'node:crypto';
import { beforeAll, expect, test } from 'vitest';
import { AuditEventModel, AuditStreamModel, TenantModel } from '../../lib/models';
import type { HttpClient } from '../support/http-client';
import { createUser, signedIn } from '../support/people';
import { useStack } from '../support/stack';

/**
 * The portal's Logging page: a tenancy admin sets their own tenancy's Sentinel stream (the
 * staff console's form and use case), rotates its secret, and sees no other tenancy's; each
 * save audited with the admin as actor and never with the secret.
 */
const stack = useStack();
const A = randomUUID();
const B = randomUUID();
let admin: HttpClient;
const SECRET = 'Abc8Q~first-secret-of-the-customer-app';
const ROTATED = 'Xyz9R~second-secret-of-the-customer-app';

beforeAll(async () => {
  await TenantModel.create({ tenantId: A, name: 'Alpine Ski House', stage: 'live' });
  await TenantModel.create({ tenantId: B, name: 'Bellows College', stage: 'live' });
  await createUser({ email: 'admin@alpine.test', tenantAdminOf: [A] });
  admin = await signedIn(stack.env.baseUrl, 'admin@alpine.test');
});

const form = (extra: Record<string, string> = {}) => ({
  endpoint: 'https://alpine-dce.westeurope-1.ingest.monitor.azure.com',
  dcrImmutableId: `dcr-${'0a1b2c3d'.repeat(4)}`,
  streamName: 'Custom-EntradaAudit_CL',
  directoryId: A,
  clientId: randomUUID(),
  level: 'standard',
  enabled: 'on',
  ...extra,
});

test('an admin sets the stream, then rotates the secret; the page never shows it, the audit names the admin', async () => {
  expect((await admin.get(`/portal/${A}/logging`)).status).toBe(200);
  expect(admin.lastHtml).toMatch(/aria-current="page" href="\/portal\/[^"]+\/logging"/);
  expect(admin.lastHtml).toMatch(new RegExp(`<form class="card" method="post" action="/portal/${A}/logging">`));
  expect(admin.lastHtml).not.toContain('/staff/audit-streams');

  const first = form({ clientSecret: SECRET });
  expect((await admin.postForm(`/portal/${A}/logging`, first)).status).toBe(200);
  expect(admin.lastHtml).toContain('Saved. The stream picks up the change now.');
  expect(admin.lastHtml).toContain('A secret is set');
  const before = (await AuditStreamModel.findOne({ tenantId: A }).lean())!;

  expect((await admin.postForm(`/portal/${A}/logging`, { ...first, clientSecret: ROTATED })).status).toBe(200);
  const after = (await AuditStreamModel.findOne({ tenantId: A }).lean())!;
  expect(after.secretVersion).toBe(before.secretVersion + 1);
  expect(admin.lastHtml).not.toContain(ROTATED);

  const events = await AuditEventModel.find({ tenantId: A, action: 'audit-stream.configured' }).sort({ seq: 1 }).lean();
  expect(events.map((e) => [e.actor?.kind, e.actor?.email, e.details?.secretChanged])).toEqual([
    ['user', 'admin@alpine.test', true],
    ['user', 'admin@alpine.test', true],
  ]);
  expect(JSON.stringify(events)).not.toContain('second-secret');
});

test('a bad value is refused on the page, keeps what was typed, and saves nothing', async () => {
  await admin.get(`/portal/${A}/logging`);
  const res = await admin.postForm(`/portal/${A}/logging`, form({ endpoint: 'ftp://nowhere', clientSecret: SECRET }));
  expect(res.status).toBe(400);
  expect(admin.lastHtml).toContain('endpoint: expected an https URL');
  expect(admin.lastHtml).toContain('value="ftp://nowhere"');
});

test("another tenancy's logging is not found, and saving to it changes nothing", async () => {
  expect((await admin.get(`/portal/${B}/logging`)).status).toBe(404);
  await admin.get(`/portal/${A}/logging`);
  expect((await admin.postForm(`/portal/${B}/logging`, form({ directoryId: B, clientSecret: SECRET }))).status).toBe(404);
  expect(await AuditStreamModel.countDocuments({ tenantId: B })).toBe(0);
});
