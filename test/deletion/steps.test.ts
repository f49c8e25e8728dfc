import { beforeAll, expect, test } from 'vitest';
import { Types } from 'mongoose';
import {
  AuditEventModel,
  ContactModel,
  FileModel,
  HubMembershipModel,
  HubModel,
  InviteModel,
  MeetingModel,
  MessageModel,
  SsoIdentityModel,
  TenantModel,
  UserModel,
} from '../../lib/models';
import { issueStaffToken } from '../../lib/accounts/staff-accounts';
import { deletionProgressQuery, type DeleteUserWorkflow } from '../../lib/contracts/deletion';
import { deletionWorkflowId, EntradaStatusKey } from '../../lib/contracts/shared';
import { blobCounts, seedFiles } from '../../scripts/lib/seed-files';
import { createUser, signedIn } from '../support/people';
import { useStack } from '../support/stack';

const stack = useStack({ workers: true });
let token: string;
beforeAll(async () => {
  await createUser({ email: 'staff@entrada.test', isStaff: true });
  ({ token } = await issueStaffToken('staff@entrada.test', 'deletion tests'));
});

const staffApi = (method: string, path: string, body?: unknown) =>
  fetch(`${stack.env.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const resultOf = (userId: string) => stack.env.temporal.workflow.getHandle<DeleteUserWorkflow>(deletionWorkflowId(userId)).result();
const oid = (id: unknown) => new Types.ObjectId(String(id));

test('staff delete a standard user: every step happens, is audited, and the report counts it', async () => {
  const [una, ben, cat, ada, ali, max] = await Promise.all(
    ['una@example.test', 'ben@example.test', 'cat@example.test', 'ada@example.test', 'ali@example.test', 'max@example.test'].map((e) =>
      createUser({ email: e }),
    ),
  );
  // Hubs: one Una owns with admins (goes to the longest-standing admin), one she owns with
  // members only (deleted with its files), one she is a member of (she leaves).
  const [kept, orphan, joined] = await HubModel.create([
    { name: 'Kept', createdBy: una._id },
    { name: 'Orphan', createdBy: una._id },
    { name: 'Joined', createdBy: ben._id },
  ]);
  await HubMembershipModel.create({ hubId: kept._id, userId: una._id, role: 'owner' });
  await HubMembershipModel.create({ hubId: kept._id, userId: ada._id, role: 'admin' });
  await HubMembershipModel.create({ hubId: kept._id, userId: ali._id, role: 'admin' });
  await HubMembershipModel.create({ hubId: kept._id, userId: max._id, role: 'member' });
  await HubMembershipModel.create([
    { hubId: orphan._id, userId: una._id, role: 'owner' },
    { hubId: orphan._id, userId: max._id, role: 'member' },
  ]);
  await HubMembershipModel.create([
    { hubId: joined._id, userId: ben._id, role: 'owner' },
    { hubId: joined._id, userId: una._id, role: 'member' },
  ]);

  // Files: Una's own (two shared with Ben, one of three chunks), in hubs, and others' files;
  // small ones inline (as uploaded now) or in GridFS (as uploaded before inline files existed).
  const unaFiles = [
    ...(await seedFiles(una._id, { count: 3, size: 1024, prefix: 'una', layout: 'gridfs' })),
    ...(await seedFiles(una._id, { count: 2, size: 1024, sharedWith: [ben._id], prefix: 'una-shared' })),
    ...(await seedFiles(una._id, { count: 1, size: 600 * 1024, prefix: 'una-big' })),
    ...(await seedFiles(una._id, { count: 1, size: 1024, hubId: kept._id, prefix: 'una-in-kept' })),
    ...(await seedFiles(una._id, { count: 1, size: 1024, hubId: orphan._id, prefix: 'una-in-orphan' })),
  ];
  const [benShared] = await seedFiles(ben._id, {
    count: 1,
    size: 2048,
    sharedWith: [una._id, cat._id],
    prefix: 'ben-shared',
    layout: 'gridfs',
  });
  const [adaInKept] = await seedFiles(ada._id, { count: 1, size: 1024, hubId: kept._id, prefix: 'ada', layout: 'gridfs' });
  const [adaInline] = await seedFiles(ada._id, { count: 1, size: 1024, hubId: kept._id, prefix: 'ada-inline' });
  const [maxInOrphan] = await seedFiles(max._id, { count: 1, size: 1024, hubId: orphan._id, prefix: 'max' });
  const blobOf = async (ids: Types.ObjectId[]) => (await FileModel.find({ _id: { $in: ids } }, { blobId: 1 }).lean()).map((f) => f.blobId);
  const unaBlobs = await blobOf(unaFiles);
  const [benBlob, adaBlob, maxBlob] = [await blobOf([benShared]), await blobOf([adaInKept]), await blobOf([maxInOrphan])];

  // Links: contacts both ways, messages, meetings, invites.
  await ContactModel.create([
    { ownerId: una._id, contactUserId: ben._id, email: 'ben@example.test' },
    { ownerId: ben._id, contactUserId: una._id, email: 'una@example.test' },
    { ownerId: cat._id, email: 'someone@example.test' },
  ]);
  await MessageModel.create([
    { hubId: joined._id, authorId: una._id, body: 'from una' },
    { hubId: joined._id, authorId: ben._id, body: 'from ben' },
    { hubId: orphan._id, authorId: max._id, body: 'in the orphan hub' },
  ]);
  const [unasMeeting, bensMeeting] = await MeetingModel.create([
    { title: 'Una organises', startsAt: new Date(), organizerId: una._id, participantIds: [ben._id] },
    { title: 'Ben organises', startsAt: new Date(), organizerId: ben._id, participantIds: [una._id, cat._id] },
  ]);
  const invite = (email: string, inviterId: Types.ObjectId, n: number) => ({
    tokenHash: `h${n}-${email}`,
    email,
    inviterId,
    kind: 'standard' as const,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  const [byUna, toUna, other] = await Promise.all([
    InviteModel.create(invite('new@example.test', una._id, 1)),
    InviteModel.create(invite('una@example.test', ben._id, 2)),
    InviteModel.create(invite('else@example.test', ben._id, 3)),
  ]);

  const session = await signedIn(stack.env.baseUrl, 'una@example.test');

  const res = await staffApi('POST', `/api/staff/users/${una.id}/delete`, { reason: 'left the company' });
  expect(res.status).toBe(202);
  expect(await res.json()).toEqual({
    workflowId: `delete-user-${una.id}`,
    attached: false,
    progress: `/api/staff/users/${una.id}/deletion`,
  });
  const result = await resultOf(una.id);

  // 1-2. Status and sessions: the signed-in browser is signed out, the old password gets nowhere.
  const after = await session.get('/account/delete', { redirect: 'manual' });
  expect([after.status, after.headers.get('location')]).toEqual([303, '/signin?next=%2Faccount%2Fdelete']);

  // 3. Files: all of Una's gone with every blob chunk; others' files untouched.
  expect(await FileModel.countDocuments({ ownerId: una._id })).toBe(0);
  expect(await blobCounts(unaBlobs)).toMatchObject({ chunks: 0, files: 0, orphanChunks: 0 });
  expect(await FileModel.findById(benShared).lean()).toMatchObject({ ownerId: ben._id, sharedWith: [cat._id] });
  expect(await blobCounts([...benBlob, ...adaBlob])).toMatchObject({ chunks: 2, files: 2 });
  expect(await FileModel.exists({ _id: adaInKept })).toBeTruthy();
  expect(await FileModel.exists({ _id: adaInline })).toBeTruthy();

  // 4. Hubs: Kept goes to Ada (the earliest admin); Orphan is gone with Max's file; Una left Joined.
  expect(await HubMembershipModel.findOne({ hubId: kept._id, userId: ada._id }).lean()).toMatchObject({ role: 'owner' });
  expect(await HubMembershipModel.findOne({ hubId: kept._id, userId: ali._id }).lean()).toMatchObject({ role: 'admin' });
  expect(await HubMembershipModel.countDocuments({ userId: una._id })).toBe(0);
  expect(await HubModel.exists({ _id: orphan._id })).toBeNull();
  expect(await HubMembershipModel.countDocuments({ hubId: orphan._id })).toBe(0);
  expect(await FileModel.exists({ _id: maxInOrphan })).toBeNull();
  expect(await blobCounts(maxBlob)).toMatchObject({ chunks: 0, files: 0 });
  expect(await MessageModel.countDocuments({ hubId: orphan._id })).toBe(0);
  expect(await HubModel.exists({ _id: joined._id })).toBeTruthy();

  // 4. Links: contacts both ways, her messages, her meetings, her place in others', her invites.
  expect(await ContactModel.countDocuments({ $or: [{ ownerId: una._id }, { contactUserId: una._id }] })).toBe(0);
  expect(await ContactModel.countDocuments({ ownerId: cat._id })).toBe(1);
  expect((await MessageModel.find({ hubId: joined._id }).lean()).map((m) => m.body)).toEqual(['from ben']);
  expect(await MeetingModel.exists({ _id: unasMeeting._id })).toBeNull();
  expect((await MeetingModel.findById(bensMeeting._id).lean())?.participantIds).toEqual([cat._id]);
  expect(
    (
      await InviteModel.find({ _id: { $in: [byUna._id, toUna._id, other._id] } })
        .sort({ tokenHash: 1 })
        .lean()
    ).map((i) => i.status),
  ).toEqual(['revoked', 'revoked', 'pending']);

  // 5. Tombstone: nothing personal left, email released.
  const tomb = await UserModel.findById(una._id).lean();
  expect(tomb).toMatchObject({
    email: `deleted-${una.id}@tombstone.invalid`,
    status: 'deleted',
    deletion: { reason: 'left the company', requestedBy: expect.stringMatching(/^staff:/) },
  });
  expect(tomb?.displayName).toBeUndefined();
  expect(tomb?.passwordHash).toBeUndefined();
  expect(tomb?.deletion?.completedAt).toBeInstanceOf(Date);
  expect(await UserModel.exists({ email: 'una@example.test' })).toBeNull();

  // The counts, in the result, the audit trail and the staff email.
  expect(result.counts).toEqual({
    staffTokens: 0,
    files: 8,
    bytes: 7 * 1024 + 600 * 1024,
    hubsTransferred: 1,
    hubsLeft: 1,
    hubsDeleted: 1,
    hubFiles: 1,
    sharesRemoved: 1,
    contactsRemoved: 2,
    messagesRemoved: 1,
    meetingsDeleted: 1,
    meetingsLeft: 1,
    invitesRevoked: 2,
    identitiesTombstoned: 0,
  });
  const events = await AuditEventModel.find({ _id: { $in: result.auditEventIds } })
    .sort({ at: 1, _id: 1 })
    .lean();
  expect(events.map((e) => e.action)).toEqual([
    'user.deletion.mark-deleting',
    'user.deletion.revoke-sessions',
    'user.deletion.purge-files',
    'user.deletion.release-hubs',
    'user.deletion.purge-hub',
    'user.deletion.remove-links',
    'user.deletion.tombstone',
    'user.deletion.notify',
  ]);
  expect(events.every((e) => e.actor?.kind === 'staff' && e.actor.email === 'staff@entrada.test' && e.outcome === 'success')).toBe(true);
  expect(events[2].details.result).toEqual({ purged: 8, bytes: 7 * 1024 + 600 * 1024 });
  expect(await AuditEventModel.findOne({ action: 'hub.ownership.transfer', 'target.id': String(kept._id) }).lean()).toMatchObject({
    details: { from: una.id, to: ada.id },
  });

  const report = await stack.env.inbox.waitFor(
    (m) => m.to.includes(stack.env.config.STAFF_EMAIL) && m.subject === 'Account una@example.test deleted',
  );
  expect(report.text).toContain('Purged: 8 files (621568 bytes); 1 hubs with nobody to inherit them, with 1 files.');
  expect(report.text).toContain('Reason: left the company');

  // The Temporal UI view: status search attribute, current details, and the progress query.
  const handle = stack.env.temporal.workflow.getHandle(deletionWorkflowId(una.id));
  expect((await handle.describe()).typedSearchAttributes.get(EntradaStatusKey)).toBe('deleted');
  expect(await handle.query(deletionProgressQuery)).toMatchObject({ status: 'deleted', files: { total: 8, purged: 8 } });
  const meta = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
  expect(meta.currentDetails).toContain('Files purged: 8 / 8 (100 %)');

  // Staff see the same on the console and the API.
  expect(await (await staffApi('GET', `/api/staff/users/${una.id}/deletion`)).json()).toMatchObject({
    status: 'deleted',
    files: { purged: 8, total: 8 },
    workflowId: `delete-user-${una.id}`,
  });
  const page = await staffApi('GET', `/staff/users/${una.id}/deletion`);
  expect(await page.text()).toMatch(/data-status="deleted"[\s\S]*data-files-purged>8</);
});

test('a tenant admin deletes an SSO user of their tenant: identity tombstoned, tenant admins told', async () => {
  const tenantId = 'aaaaaaaa-0000-4000-8000-000000000001';
  await TenantModel.create({ tenantId, name: 'Contoso', adminEmails: ['it@contoso.example'], stage: 'live' });
  await createUser({ email: 'boss@contoso.example', tenantAdminOf: [tenantId] });
  const sam = await createUser({ email: 'sam@contoso.example', kind: 'sso', tenantId });
  await SsoIdentityModel.create({
    tenantId,
    objectId: 'oid-sam-1',
    userId: sam._id,
    nameId: 'sam@contoso.example',
    email: 'sam@contoso.example',
  });
  await seedFiles(sam._id, { count: 3, size: 1024 });

  const boss = await signedIn(stack.env.baseUrl, 'boss@contoso.example');
  const res = await boss.api('POST', `/api/tenant-admin/users/${sam.id}/delete`, { reason: 'account recreated in Entra' });
  expect(res).toEqual({
    status: 202,
    body: { workflowId: `delete-user-${sam.id}`, attached: false, progress: `/api/tenant-admin/users/${sam.id}/deletion` },
  });
  const result = await resultOf(sam.id);
  expect(result.counts).toMatchObject({ files: 3, identitiesTombstoned: 1 });

  const identity = await SsoIdentityModel.findOne({ tenantId, objectId: 'oid-sam-1' }).lean();
  expect(identity).toMatchObject({ status: 'deleted', userId: oid(sam._id), email: `deleted-${sam.id}@tombstone.invalid` });
  expect(identity?.deletedAt).toBeInstanceOf(Date);

  const mail = await stack.env.inbox.waitFor((m) => m.subject === 'Account sam@contoso.example deleted');
  expect(mail.to.sort()).toEqual(['boss@contoso.example', 'it@contoso.example', stack.env.config.STAFF_EMAIL].sort());
  expect(mail.text).toContain('Purged: 3 files (3072 bytes)');
  expect(mail.text).toContain('SSO identities tombstoned: 1.');
  expect((await boss.api('GET', `/api/tenant-admin/users/${sam.id}/deletion`)).body).toMatchObject({
    status: 'deleted',
    files: { purged: 3 },
  });

  const audit = await AuditEventModel.findOne({ action: 'user.deletion.tombstone', 'target.id': sam.id }).lean();
  expect(audit).toMatchObject({ tenantId, actor: { kind: 'user', email: 'boss@contoso.example' } });
});
