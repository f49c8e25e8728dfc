import { randomUUID } from 'node:crypto';
import { beforeAll, expect, test } from 'vitest';
import { AuditEventModel, TenantModel } from '../../lib/models';
import type { HttpClient } from '../support/http-client';
import { createUser, signedIn } from '../support/people';
import { useStack } from '../support/stack';

/**
 * The portal's Access page: the allowed groups and app roles and the admin mapping, whether
 * group claims reach Entrada (and what an overage does), and saving them through the staff
 * console's policy path: the tenancy's configVersion moves, and each changed list is audited
 * with the admin as actor.
 */
const stack = useStack({ staff: 'sam@entrada.test' });
const A = randomUUID();
const B = randomUUID();
const GROUP = '5B9B2F64-1111-4A4A-8C8C-000000000001';
let admin: HttpClient;

beforeAll(async () => {
  await TenantModel.create({ tenantId: A, name: 'Alpine Ski House', stage: 'testing', allowedRoles: ['Entrada.User'] });
  await TenantModel.create({
    tenantId: B,
    name: 'Bellows College',
    stage: 'testing',
    connection: { kind: 'saml', ssoBinding: 'post', nameIdFormat: 'email', claims: { subject: { from: 'nameid' }, email: [] } },
  });
  await createUser({ email: 'admin@alpine.test', tenantAdminOf: [A, B] });
  admin = await signedIn(stack.env.baseUrl, 'admin@alpine.test');
});

test('shows the rules and the group claims, and saves only what changed, audited as the admin', async () => {
  expect((await admin.get(`/portal/${A}/access`)).status).toBe(200);
  expect(admin.lastHtml).toMatch(/id="group-claims" data-configured="true"/);
  expect(admin.lastHtml).toMatch(/<textarea id="allowedRoles"[^>]*>Entrada.User<\/textarea>/);
  expect(admin.lastHtml).toContain('id="overage"');
  const before = (await TenantModel.findOne({ tenantId: A }).lean())!.configVersion ?? 0;

  const res = await admin.postForm(`/portal/${A}/access`, {
    allowedGroups: `${GROUP}\n`,
    allowedRoles: 'Entrada.User',
    adminGroups: '',
    adminRoles: 'Entrada.Admin, Entrada.Owner',
  });
  expect(res.status).toBe(200);
  expect(admin.lastHtml).toContain('Saved');
  const t = (await TenantModel.findOne({ tenantId: A }).lean())!;
  expect(t).toMatchObject({
    allowedGroups: [GROUP.toLowerCase()],
    allowedRoles: ['Entrada.User'],
    adminRoles: ['Entrada.Admin', 'Entrada.Owner'],
  });
  expect(t.configVersion).toBe(before + 1);
  expect(admin.lastHtml).toMatch(/Your group rules below rely on it/);

  const events = await AuditEventModel.find({ tenantId: A, action: /^sso\.policy\./ }).lean();
  expect(events.map((e) => [e.action, e.actor?.kind, e.actor?.email, e.details]).sort()).toEqual([
    ['sso.policy.admin-mapping', 'user', 'admin@alpine.test', { adminRoles: ['Entrada.Admin', 'Entrada.Owner'] }],
    ['sso.policy.allowed-groups', 'user', 'admin@alpine.test', { allowedGroups: [GROUP.toLowerCase()] }],
  ]);
});

test('a connection without a groups attribute says so, and a group rule warns that it needs one', async () => {
  await TenantModel.updateOne({ tenantId: B }, { allowedGroups: ['staff'] });
  await admin.get(`/portal/${B}/access`);
  expect(admin.lastHtml).toMatch(/id="group-claims" data-configured="false"/);
  expect(admin.lastHtml).toContain('Your group rules below need it');
  expect(admin.lastHtml).not.toContain('id="overage"');
});

test('a list too long is refused on the page and nothing changes', async () => {
  await admin.get(`/portal/${A}/access`);
  const many = Array.from({ length: 101 }, (_, i) => `Role.${i}`).join('\n');
  const res = await admin.postForm(`/portal/${A}/access`, { allowedGroups: GROUP, allowedRoles: many, adminGroups: '', adminRoles: '' });
  expect(res.status).toBe(400);
  expect(admin.lastHtml).toContain('allowedRoles must be a list of at most 100 names or IDs');
  expect((await TenantModel.findOne({ tenantId: A }).lean())!.allowedRoles).toEqual(['Entrada.User']);
});
