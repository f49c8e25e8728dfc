/**
 * App roles: a tenancy may let users in by an app role (the `role` claim) as an alternative to
 * its allowed groups, and map roles or groups to tenancy admin. The mapping is applied at every
 * sign-in, both ways, and each change is audited; staff set all of it through the SSO policy.
 */
import { beforeAll, expect, test } from 'vitest';
import { AuditEventModel, UserModel } from '../../lib/models';
import { accountSnapshot, lastRejection } from './support';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test' });
let t: SsoTenant;
const ALLOWED = '8d8d8d8d-0000-4000-8000-000000000001';
const ADMINS = '8D8D8D8D-0000-4000-8000-000000000002';

beforeAll(async () => {
  t = await connectTenant(stack, { domains: ['roles.example'], allowedGroups: [ALLOWED] });
  t.emulated.addUser({ email: 'rita@roles.example', roles: ['Entrada.User'] });
  t.emulated.addUser({ email: 'ada@roles.example', roles: ['Entrada.User', 'Entrada.Admin'] });
  t.emulated.addUser({ email: 'gus@roles.example', groups: [ALLOWED, ADMINS.toLowerCase()] });
  t.emulated.addUser({ email: 'nobody@roles.example', roles: ['Something.Else'] });
});

const signIn = (email: string) => new SsoBrowser(stack.env, t).signIn(email);
const adminOf = async (email: string) => (await UserModel.findOne({ email }, { tenantAdminOf: 1 }).lean())?.tenantAdminOf;
const changes = (email: string) =>
  AuditEventModel.find({ action: /^sso\.tenant-admin\./, tenantId: t.tenantId, 'details.email': email })
    .sort({ at: 1, _id: 1 })
    .lean();

test('an allowed app role lets a user in beside the groups; neither is refused, naming both', async () => {
  const policy = { allowedRoles: ['Entrada.User'], adminRoles: ['Entrada.Admin'], adminGroups: [ADMINS] };
  expect((await stack.staff.api('POST', `/api/staff/tenants/${t.tenantId}/sso-policy`, { allowedRoles: 'Entrada.User' })).status).toBe(400);
  expect((await stack.staff.api('POST', `/api/staff/tenants/${t.tenantId}/sso-policy`, policy)).body).toEqual({
    ...policy,
    adminGroups: [ADMINS.toLowerCase()],
  });
  expect(await AuditEventModel.countDocuments({ action: /^sso\.policy\.(allowed-roles|admin-mapping)$/, tenantId: t.tenantId })).toBe(3);

  expect((await signIn('rita@roles.example')).status).toBe(303);
  expect(await adminOf('rita@roles.example')).toEqual([]);

  const before = await accountSnapshot();
  expect((await signIn('nobody@roles.example')).status).toBe(403);
  expect(await lastRejection()).toMatchObject({
    reason: 'group-not-allowed',
    details: { expected: { groups: [ALLOWED], roles: ['Entrada.User'] }, received: { groups: [], roles: ['Something.Else'] } },
  });
  expect(await accountSnapshot()).toEqual(before);
});

test('a mapped role or group makes the user a tenancy admin at sign-in, once; losing it in Entra revokes it at the next', async () => {
  expect((await signIn('ada@roles.example')).status).toBe(303);
  expect(await adminOf('ada@roles.example')).toEqual([t.tenantId]);
  expect((await signIn('ada@roles.example')).status).toBe(303);
  expect((await changes('ada@roles.example')).map((e) => [e.action, e.details])).toEqual([
    ['sso.tenant-admin.granted', expect.objectContaining({ roles: ['Entrada.Admin'], groups: [] })],
  ]);

  expect((await signIn('gus@roles.example')).status).toBe(303);
  expect(await adminOf('gus@roles.example')).toEqual([t.tenantId]);
  t.emulated.setGroups('gus@roles.example', [ALLOWED]);
  expect((await signIn('gus@roles.example')).status).toBe(303);
  expect(await adminOf('gus@roles.example')).toEqual([]);
  expect((await changes('gus@roles.example')).map((e) => e.action)).toEqual(['sso.tenant-admin.granted', 'sso.tenant-admin.revoked']);
});
