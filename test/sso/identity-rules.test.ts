import { beforeAll, expect, test } from 'vitest';
import { AuditEventModel, FileModel, SsoIdentityModel, TenantModel, UserModel } from '../../lib/models';
import { deletionWorkflowId } from '../../lib/contracts/shared';
import { accountSnapshot, lastRejection } from './support';
import { seedCollaboration } from '../support/seed-collaboration';
import { certificatesOf, connectTenant, finishPendingSignIn, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ config: { MIGRATION_ACS_WAIT: '2s' }, entra: true, workers: true });
let tenant: SsoTenant;

beforeAll(async () => {
  tenant = await connectTenant(stack, { domains: ['contoso.example'] });
});

async function signedInAs(browser: SsoBrowser, email: string) {
  const res = await finishPendingSignIn(browser, await browser.signIn(email));
  expect(res.status, await res.clone().text()).toBe(303);
  expect(await browser.whoAmI()).toBe(email);
  return UserModel.findOne({ email }).lean();
}

test('a recreated Entra account (same email, new object ID) gets a fresh, empty account after the old one is deleted', async () => {
  tenant.emulated.addUser({ email: 'rita@contoso.example' });
  const old = (await signedInAs(new SsoBrowser(stack.env, tenant), 'rita@contoso.example'))!;
  const colleague = await UserModel.create({ email: 'rita-colleague@contoso.example', emailConfirmedAt: new Date() });
  await seedCollaboration(old._id, colleague._id);

  const recreated = tenant.emulated.recreateUser('rita@contoso.example');
  const browser = new SsoBrowser(stack.env, tenant);
  const fresh = (await signedInAs(browser, 'rita@contoso.example'))!;

  expect(String(fresh._id)).not.toBe(String(old._id));
  expect(fresh).toMatchObject({ kind: 'sso', status: 'active', tenantId: tenant.tenantId });
  expect((await browser.http.api('GET', '/api/files')).body).toMatchObject({ owned: [], shared: [] });
  // Nothing inherited: the old account went through the deletion workflow, files purged.
  expect(await UserModel.findById(old._id).lean()).toMatchObject({ status: 'deleted' });
  expect(await FileModel.countDocuments({ ownerId: old._id })).toBe(0);
  expect(await stack.env.temporal.workflow.getHandle(deletionWorkflowId(String(old._id))).result()).toMatchObject({
    userId: String(old._id),
  });
  const identity = await SsoIdentityModel.findOne({ tenantId: tenant.tenantId, objectId: recreated.objectId }).lean();
  expect(String(identity?.userId)).toBe(String(fresh._id));
  expect(await AuditEventModel.countDocuments({ action: 'sso.recreated-account-detected', 'target.id': String(old._id) })).toBe(1);
});

test('group gate: only members of an allowed group sign in; a groups overage is refused with a clear page', async () => {
  const allowed = '4a4a4a4a-0000-4000-8000-000000000001';
  const gated = await connectTenant(stack, { name: 'Gated', domains: ['gated.example'], allowedGroups: [allowed] });
  gated.emulated.addUser({ email: 'in@gated.example', groups: ['4a4a4a4a-0000-4000-8000-000000000009', allowed.toUpperCase()] });
  gated.emulated.addUser({ email: 'out@gated.example', groups: ['4a4a4a4a-0000-4000-8000-000000000009'] });
  gated.emulated.addUser({
    email: 'many@gated.example',
    groups: Array.from({ length: 151 }, (_, i) => `4a4a4a4a-0000-4000-8000-${String(i).padStart(12, '0')}`),
  });

  await signedInAs(new SsoBrowser(stack.env, gated), 'in@gated.example');

  const before = await accountSnapshot();
  const out = await new SsoBrowser(stack.env, gated).signIn('out@gated.example');
  expect(out.status).toBe(403);
  expect(await out.text()).toContain('Ask your IT administrator to add you to an allowed group');
  expect((await lastRejection())?.reason).toBe('group-not-allowed');

  const many = await new SsoBrowser(stack.env, gated).signIn('many@gated.example');
  expect(many.status).toBe(403);
  expect(await many.text()).toContain('Groups assigned to the application');
  expect((await lastRejection())?.reason).toBe('groups-overage');
  expect(await accountSnapshot()).toEqual(before);

  // The gate holds for existing accounts too: removed from the group, refused next time.
  gated.emulated.setGroups('in@gated.example', []);
  expect((await new SsoBrowser(stack.env, gated).signIn('in@gated.example')).status).toBe(403);
  expect((await lastRejection())?.reason).toBe('group-not-allowed');
});

test('certificate rollover: the new certificate signs, the old one is accepted until removed from the tenant', async () => {
  const roll = await connectTenant(stack, { name: 'Rollover', domains: ['rollover.example'] });
  roll.emulated.addUser({ email: 'ray@rollover.example' });
  const [oldCert] = roll.emulated.signingCertificates();
  await signedInAs(new SsoBrowser(stack.env, roll), 'ray@rollover.example');

  // Entra publishes a second certificate; onboarding records it (config version bumped).
  const next = roll.emulated.addSigningCertificate();
  const record = (certs: ReturnType<typeof certificatesOf>) =>
    TenantModel.updateOne({ tenantId: roll.tenantId }, { $set: { 'saml.certificates': certs }, $inc: { configVersion: 1 } });
  await record(certificatesOf(roll.emulated));
  roll.emulated.activateSigningCertificate(next.thumbprint);
  await signedInAs(new SsoBrowser(stack.env, roll), 'ray@rollover.example'); // signed with the new one

  roll.emulated.activateSigningCertificate(oldCert.thumbprint);
  await signedInAs(new SsoBrowser(stack.env, roll), 'ray@rollover.example'); // the old one still counts

  // The old certificate is removed from the tenant: what it signs is refused at once.
  await record(certificatesOf(roll.emulated).filter((c) => c.thumbprint !== oldCert.thumbprint));
  const refused = await new SsoBrowser(stack.env, roll).signIn('ray@rollover.example');
  expect(refused.status).toBe(400);
  expect((await lastRejection())?.reason).toBe('signature-invalid');
  roll.emulated.activateSigningCertificate(next.thumbprint);
  await signedInAs(new SsoBrowser(stack.env, roll), 'ray@rollover.example');
});

test('a tenant in testing lets test users of its nominated domains sign in; email domains are still enforced', async () => {
  const testing = await connectTenant(stack, { name: 'Testing', stage: 'testing', domains: ['testing.example'] });
  testing.emulated.addUser({ email: 'tess@testing.example' });
  testing.emulated.addUser({ email: 'tess@contoso.example' });
  expect(await signedInAs(new SsoBrowser(stack.env, testing), 'tess@testing.example')).toMatchObject({
    kind: 'sso',
    tenantId: testing.tenantId,
  });
  // Another tenant's domain can never be claimed through this one.
  expect((await new SsoBrowser(stack.env, testing).signIn('tess@contoso.example')).status).toBe(403);
  expect((await lastRejection())?.reason).toBe('email-outside-domains');
});
