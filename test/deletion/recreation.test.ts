import { expect, test } from 'vitest';
import { requestUserDeletion } from '../../lib/deletion/requests';
import { AuditEventModel, ContactModel, FileModel, HubMembershipModel, SsoIdentityModel, UserModel } from '../../lib/models';
import { deletionWorkflowId } from '../../lib/contracts/shared';
import { HttpClient } from '../support/http-client';
import { seedFiles } from '../../scripts/lib/seed-files';
import { nextEmail, tokenOf } from '../support/mail';
import { createUser, PASSWORD, signedIn } from '../support/people';
import { seedCollaboration } from '../support/seed-collaboration';
import { connectTenant, finishPendingSignIn, SsoBrowser } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ entra: true, workers: true });

const deletion = (userId: string) => stack.env.temporal.workflow.getHandle(deletionWorkflowId(userId)).result();

/** Nothing of the old account reaches the new one: no files, shares, hubs, contacts, audit subject. */
async function expectEmpty(newId: string, oldId: string, browser: HttpClient) {
  expect(newId).not.toBe(oldId);
  expect((await browser.api('GET', '/api/files')).body).toMatchObject({ owned: [], shared: [] });
  expect(await FileModel.countDocuments({ $or: [{ ownerId: newId }, { sharedWith: newId }] })).toBe(0);
  expect(await HubMembershipModel.countDocuments({ userId: newId })).toBe(0);
  expect(await ContactModel.countDocuments({ $or: [{ ownerId: newId }, { contactUserId: newId }] })).toBe(0);
  expect(await AuditEventModel.countDocuments({ 'target.id': newId, action: /^user\.deletion\./ })).toBe(0);
}

test('a standard user deletes their own account (password + typed email); signing up again starts an empty account', async () => {
  const owner = await createUser({ email: 'nora@example.test' });
  const colleague = await createUser({ email: 'olaf@example.test' });
  await seedFiles(owner._id, { count: 5, size: 1024 });
  await seedCollaboration(owner._id, colleague._id);
  const nora = await signedIn(stack.env.baseUrl, 'nora@example.test');

  await nora.get('/account/delete');
  expect(nora.lastHtml).toContain('Delete my account permanently');
  expect((await nora.postForm('/account/delete', { email: 'someone@example.test', password: PASSWORD })).status).toBe(400);
  expect(nora.lastHtml).toContain('Type your email address (nora@example.test) exactly to confirm.');
  expect((await nora.postForm('/account/delete', { email: 'nora@example.test', password: 'not-my-password' })).status).toBe(400);
  expect(nora.lastHtml).toContain('That password is not right.');
  expect(await AuditEventModel.countDocuments({ action: 'user.deletion.confirm', outcome: 'denied', 'target.id': owner.id })).toBe(1);
  expect((await UserModel.findById(owner._id).lean())?.status).toBe('active');

  const done = await nora.postForm('/account/delete', { email: 'NORA@example.test ', password: PASSWORD });
  expect(done.status).toBe(200);
  expect(nora.lastHtml).toContain('Your account is being deleted');
  expect((await nora.api('GET', '/api/auth/me')).body.user).toBeFalsy();
  const result = await deletion(owner.id);
  expect(result.counts).toMatchObject({ files: 8, hubsDeleted: 1, hubsLeft: 1, contactsRemoved: 2 });
  const confirmation = await stack.env.inbox.waitFor(
    (m) => m.to.includes('nora@example.test') && m.subject === 'Your Entrada account was deleted',
  );
  expect(confirmation.text).toContain('you will start with a new, empty account');
  expect(await AuditEventModel.findOne({ action: 'user.deletion.mark-deleting', 'target.id': owner.id }).lean()).toMatchObject({
    actor: { kind: 'user', userId: owner.id },
  });

  // Same email, new registration: a new user ID and nothing of the old account.
  const before = stack.env.inbox.messages.length;
  const again = new HttpClient(stack.env.baseUrl);
  await again.get('/register');
  expect((await again.postForm('/register', { displayName: 'Nora Again', email: 'nora@example.test', password: PASSWORD })).status).toBe(
    200,
  );
  const mail = await nextEmail(stack.env.inbox, 'nora@example.test', 'Confirm your Entrada account', before);
  await again.get(`/register/confirm?token=${tokenOf(mail, '/register/confirm')}`);
  expect((await again.postForm('/register/confirm', { token: tokenOf(mail, '/register/confirm'), password: PASSWORD })).status).toBe(200);
  const me = (await again.api('GET', '/api/auth/me')).body.user;
  expect(me.email).toBe('nora@example.test');
  await expectEmpty(me.id, owner.id, again);
});

test('staff delete an SSO user from the console; the recreated Entra account signs in to a fresh, empty account', async () => {
  const tenant = await connectTenant(stack, { domains: ['fabrikam.example'] });
  tenant.emulated.addUser({ email: 'rosa@fabrikam.example' });
  const first = new SsoBrowser(stack.env, tenant);
  await finishPendingSignIn(first, await first.signIn('rosa@fabrikam.example'));
  expect(await first.whoAmI()).toBe('rosa@fabrikam.example');
  const old = (await UserModel.findOne({ email: 'rosa@fabrikam.example' }).lean())!;
  const colleague = await createUser({ email: 'colleague@fabrikam.example' });
  await seedCollaboration(old._id, colleague._id);

  await createUser({ email: 'staff@entrada.test', isStaff: true });
  const staff = await signedIn(stack.env.baseUrl, 'staff@entrada.test');
  await staff.get(`/staff/users/${old._id}/delete`);
  expect(staff.lastHtml).toContain('Delete this account permanently');
  const posted = await staff.postForm(`/staff/users/${old._id}/delete`, { reason: 'left Fabrikam' });
  expect(posted.status).toBe(200);
  expect(staff.lastHtml).toContain(`Deletion of user ${old._id}`);
  await deletion(String(old._id));
  expect(await first.whoAmI()).toBeUndefined();
  const oldIdentity = await SsoIdentityModel.findOne({ userId: old._id }).lean();
  expect(oldIdentity).toMatchObject({ tenantId: tenant.tenantId, status: 'deleted' });

  const recreated = tenant.emulated.recreateUser('rosa@fabrikam.example');
  const next = new SsoBrowser(stack.env, tenant);
  await finishPendingSignIn(next, await next.signIn('rosa@fabrikam.example'));
  expect(await next.whoAmI()).toBe('rosa@fabrikam.example');
  const fresh = (await UserModel.findOne({ email: 'rosa@fabrikam.example' }).lean())!;
  expect(fresh).toMatchObject({ kind: 'sso', status: 'active', tenantId: tenant.tenantId });
  await expectEmpty(String(fresh._id), String(old._id), next.http);
  const identity = await SsoIdentityModel.findOne({ tenantId: tenant.tenantId, objectId: recreated.objectId }).lean();
  expect(String(identity?.userId)).toBe(String(fresh._id));
});

test('a deleted SSO identity can never be linked again; the email is free for a new identity', async () => {
  const tenantId = 'bbbbbbbb-0000-4000-8000-000000000001';
  const gone = await createUser({ email: 'ivo@northwind.example', kind: 'sso', tenantId });
  await SsoIdentityModel.create({
    tenantId,
    objectId: 'oid-ivo-1',
    userId: gone._id,
    nameId: 'ivo@northwind.example',
    email: 'ivo@northwind.example',
  });
  const { handle } = await requestUserDeletion(stack.env.temporal, stack.env.config.TEMPORAL_TASK_QUEUE, {
    userId: gone.id,
    requestedBy: { kind: 'system', reason: 'recreated-entra-account' },
  });
  expect((await handle.result()).counts.identitiesTombstoned).toBe(1);

  // Nothing resolves by email any more; the old object ID stays bound to the tombstone.
  expect(await SsoIdentityModel.countDocuments({ tenantId, email: 'ivo@northwind.example' })).toBe(0);
  expect(await SsoIdentityModel.findOne({ tenantId, objectId: 'oid-ivo-1' }).lean()).toMatchObject({ status: 'deleted', userId: gone._id });
  const fresh = await createUser({ email: 'ivo@northwind.example', kind: 'sso', tenantId });
  await expect(
    SsoIdentityModel.create({ tenantId, objectId: 'oid-ivo-1', userId: fresh._id, nameId: 'ivo', email: 'ivo@northwind.example' }),
  ).rejects.toMatchObject({ code: 11000 });
  await SsoIdentityModel.create({ tenantId, objectId: 'oid-ivo-2', userId: fresh._id, nameId: 'ivo', email: 'ivo@northwind.example' });
  expect(fresh.id).not.toBe(gone.id);
  expect(await FileModel.countDocuments({ ownerId: fresh._id })).toBe(0);
});

test('SSO users cannot delete themselves: their organisation manages the account', async () => {
  const sso = await createUser({ email: 'sven@northwind.example', kind: 'sso', tenantId: 'bbbbbbbb-0000-4000-8000-000000000001' });
  await expect(
    requestUserDeletion(stack.env.temporal, stack.env.config.TEMPORAL_TASK_QUEUE, {
      userId: sso.id,
      requestedBy: { kind: 'self', userId: sso.id, reason: 'self' },
    }),
  ).rejects.toMatchObject({ status: 403, message: 'Your organisation manages your account: ask its administrator to delete it.' });
  expect((await UserModel.findById(sso._id).lean())?.status).toBe('active');
});
