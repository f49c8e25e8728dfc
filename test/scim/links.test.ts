/**
 * SCIM and existing accounts: a standard account in a nominated domain is linked, not
 * duplicated, and upgraded by the existing migration at its first SSO sign-in (also after
 * its address changed in the directory); before that, SCIM never touches it. Provisioned
 * groups feed the tenancy's group gate with no groups claim.
 */
import { beforeAll, expect, test } from 'vitest';
import { FileModel, ScimUserModel, SsoIdentityModel, TenantModel, UserModel } from '../../lib/models';
import { WorkflowNotFoundError } from '@temporalio/client';
import { deprovisioningWorkflowId } from '../../lib/contracts/deprovisioning';
import { migrationWorkflowId } from '../../lib/contracts/shared';
import { seedFiles } from '../../scripts/lib/seed-files';
import { createUser } from '../support/people';
import { finishPendingSignIn, SsoBrowser } from '../support/sso';
import { useStack } from '../support/stack';
import { lastRejection } from '../sso/support';
import { entraUserBody, GROUP, provisioningTenancy, type ScimTenancy } from './support';

const stack = useStack({ entra: true, workers: true });
let tenancy: ScimTenancy;

beforeAll(async () => {
  tenancy = await provisioningTenancy(stack, { domains: ['links.example'] });
});

test('a standard account with the address is linked, not duplicated; its first SSO sign-in migrates it with its files, even after its address changed in the directory', async () => {
  const sue = await createUser({ email: 'sue@links.example' });
  await seedFiles(sue._id, { count: 4, size: 512 });
  const body = entraUserBody('sue@links.example');
  const created = await tenancy.scim.post('/Users', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(await UserModel.countDocuments({ email: 'sue@links.example' })).toBe(1);
  expect(await ScimUserModel.findById(created.body.id).lean()).toMatchObject({ link: 'migration', userId: sue._id });
  expect(await SsoIdentityModel.countDocuments({ userId: sue._id })).toBe(0); // bound only by her own sign-in

  // The directory renames her before she ever signs in by SSO; the link is by object ID.
  expect(
    (
      await tenancy.scim.patch(`/Users/${created.body.id}`, {
        op: 'Replace',
        path: 'emails[type eq "work"].value',
        value: 'susan@links.example',
      })
    ).status,
  ).toBe(200);
  expect(await UserModel.findById(sue._id).lean()).toMatchObject({ email: 'sue@links.example', kind: 'standard' });
  tenancy.emulated.addUser({ email: 'susan@links.example', objectId: body.externalId });
  const browser = new SsoBrowser(stack.env, tenancy);
  const res = await finishPendingSignIn(browser, await browser.signIn('susan@links.example'));
  expect(res.status).toBe(303);
  expect(await browser.whoAmI()).toBe('sue@links.example');
  expect(await UserModel.findById(sue._id).lean()).toMatchObject({
    kind: 'sso',
    status: 'active',
    migration: { workflowId: migrationWorkflowId(String(sue._id)) },
  });
  expect(await FileModel.countDocuments({ ownerId: sue._id })).toBe(4);
  expect(await UserModel.countDocuments({ email: /susan/ })).toBe(0);

  // Migrated: from now on SCIM controls the account, and the next update brings the address in.
  await tenancy.scim.patch(`/Users/${created.body.id}`, { op: 'Replace', path: 'name.givenName', value: 'Susan' });
  expect(await UserModel.findById(sue._id).lean()).toMatchObject({ email: 'susan@links.example', givenName: 'Susan' });
});

test('before its first SSO sign-in, a linked standard account is never suspended or deprovisioned by SCIM: the link is dropped, the account left alone', async () => {
  const tom = await createUser({ email: 'tom@links.example' });
  await seedFiles(tom._id, { count: 2, size: 512 });
  const created = await tenancy.scim.post('/Users', entraUserBody('tom@links.example'));
  await tenancy.scim.patch(`/Users/${created.body.id}`, { op: 'Replace', path: 'active', value: 'False' });
  expect(await UserModel.findById(tom._id).lean()).toMatchObject({ status: 'active', kind: 'standard' });
  expect((await tenancy.scim.delete(`/Users/${created.body.id}`)).status).toBe(204);
  expect(await UserModel.findById(tom._id).lean()).toMatchObject({ status: 'active', kind: 'standard' });
  expect(await FileModel.countDocuments({ ownerId: tom._id })).toBe(2);
  await expect(stack.env.temporal.workflow.getHandle(deprovisioningWorkflowId(String(tom._id))).describe()).rejects.toThrow(
    WorkflowNotFoundError,
  );
  expect((await tenancy.scim.get(`/Users/${created.body.id}`)).status).toBe(404);
});

test('provisioned group membership decides the group gate without a groups claim; removing the member closes it', async () => {
  const groupObjectId = 'a4f1c2d3-0000-4000-8000-00000000beef';
  await TenantModel.updateOne({ tenantId: tenancy.tenantId }, { $set: { allowedGroups: [groupObjectId] }, $inc: { configVersion: 1 } });
  const people = await Promise.all(
    ['in', 'out'].map(async (who) => {
      const body = entraUserBody(`${who}@links.example`);
      const created = await tenancy.scim.post('/Users', body);
      tenancy.emulated.addUser({ email: `${who}@links.example`, objectId: body.externalId }); // no groups claim
      return created.body.id as string;
    }),
  );
  const group = await tenancy.scim.post('/Groups', { schemas: [GROUP], displayName: 'Entrada users', externalId: groupObjectId });
  expect(group.status, JSON.stringify(group.body)).toBe(201);
  expect((await tenancy.scim.patch(`/Groups/${group.body.id}`, { op: 'Add', path: 'members', value: [{ value: people[0] }] })).status).toBe(
    200,
  );

  const inside = new SsoBrowser(stack.env, tenancy);
  expect((await inside.signIn('in@links.example')).status).toBe(303);
  expect((await new SsoBrowser(stack.env, tenancy).signIn('out@links.example')).status).toBe(403);
  expect((await lastRejection())?.reason).toBe('group-not-allowed');

  await tenancy.scim.patch(`/Groups/${group.body.id}`, { op: 'Remove', path: `members[value eq "${people[0]}"]` });
  expect((await new SsoBrowser(stack.env, tenancy).signIn('in@links.example')).status).toBe(403);
  await TenantModel.updateOne({ tenantId: tenancy.tenantId }, { $set: { allowedGroups: [] }, $inc: { configVersion: 1 } });
});
