import { beforeAll, expect, test } from 'vitest';
import { Types } from 'mongoose';
import { WorkflowNotFoundError } from '@temporalio/client';
import { requestUserDeletion } from '../../lib/deletion/requests';
import { AuditEventModel, UserModel } from '../../lib/models';
import { issueStaffToken } from '../../lib/accounts/staff-accounts';
import { deletionWorkflowId } from '../../lib/contracts/shared';
import { createUser, signedIn } from '../support/people';
import { useStack } from '../support/stack';

const stack = useStack();
let token: string;
const T1 = 'aaaaaaaa-0000-4000-8000-0000000000a1';
const T2 = 'aaaaaaaa-0000-4000-8000-0000000000a2';
beforeAll(async () => {
  await createUser({ email: 'staff@entrada.test', isStaff: true });
  ({ token } = await issueStaffToken('staff@entrada.test', 'tests'));
  await createUser({ email: 'admin@one.example', tenantAdminOf: [T1] });
});

const staffApi = (method: string, path: string, body?: unknown) =>
  fetch(`${stack.env.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));
const reason = { reason: 'tests' };
/** A refusal changed nothing: the user is as it was and no deletion workflow exists. */
async function untouched(userId: string, status = 'active') {
  expect((await UserModel.findById(userId).lean())?.status).toBe(status);
  await expect(stack.env.temporal.workflow.getHandle(deletionWorkflowId(userId)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
}

test('unknown users are 404, a missing reason 400', async () => {
  const ghost = new Types.ObjectId().toString();
  expect(await staffApi('POST', `/api/staff/users/${ghost}/delete`, reason)).toEqual({
    status: 404,
    body: { error: { code: 'not_found', message: `No user ${ghost}.` } },
  });
  expect((await staffApi('POST', '/api/staff/users/not-an-id/delete', reason)).status).toBe(404);
  const u = await createUser({ email: 'reasonless@example.test' });
  expect(await staffApi('POST', `/api/staff/users/${u.id}/delete`, { reason: '  ' })).toMatchObject({
    status: 400,
    body: { error: { message: 'Give a reason for the deletion.' } },
  });
  await untouched(u.id);
});

test('only staff use the staff routes; only staff may delete a staff member', async () => {
  const victim = await createUser({ email: 'victim@example.test' });
  const plain = await signedIn(stack.env.baseUrl, 'admin@one.example');
  expect(await plain.api('POST', `/api/staff/users/${victim.id}/delete`, reason)).toEqual({
    status: 403,
    body: { error: { code: 'forbidden', message: 'Staff only.' } },
  });
  await untouched(victim.id);

  const colleague = await createUser({ email: 'colleague@entrada.test', isStaff: true, tenantId: T1 });
  expect(await plain.api('POST', `/api/tenant-admin/users/${colleague.id}/delete`, reason)).toEqual({
    status: 403,
    body: { error: { code: 'forbidden', message: 'Only staff can delete a staff account.' } },
  });
  // The service is the authority, whatever a caller claims to be.
  const admin = await UserModel.findOne({ email: 'admin@one.example' }).lean();
  await expect(
    requestUserDeletion(stack.env.temporal, stack.env.config.TEMPORAL_TASK_QUEUE, {
      userId: victim.id,
      requestedBy: { kind: 'staff', userId: String(admin!._id), reason: 'claims to be staff' },
    }),
  ).rejects.toMatchObject({ status: 403, message: 'Only staff can delete accounts from the staff console.' });
  await untouched(colleague.id);
  await untouched(victim.id);
  const denied = await AuditEventModel.find({ action: 'user.deletion.request', outcome: 'denied' }).lean();
  expect(denied.map((e) => e.details.refusal)).toEqual([
    'Only staff can delete a staff account.',
    'Only staff can delete accounts from the staff console.',
  ]);
});

test('a tenant admin deletes only users of their own tenant', async () => {
  const other = await createUser({ email: 'someone@two.example', kind: 'sso', tenantId: T2 });
  const loner = await createUser({ email: 'loner@example.test' });
  const admin = await signedIn(stack.env.baseUrl, 'admin@one.example');
  const refusal = {
    status: 403,
    body: { error: { code: 'forbidden', message: 'You can only delete users of organisations you administer.' } },
  };
  expect(await admin.api('POST', `/api/tenant-admin/users/${other.id}/delete`, reason)).toEqual(refusal);
  expect(await admin.api('POST', `/api/tenant-admin/users/${loner.id}/delete`, reason)).toEqual(refusal);
  expect((await admin.api('GET', `/api/tenant-admin/users/${other.id}/deletion`)).status).toBe(404);
  await untouched(other.id);
  await untouched(loner.id);
});

test('repeated requests join the running deletion; a finished one is never run again (409)', async () => {
  const twice = await createUser({ email: 'twice@one.example', kind: 'sso', tenantId: T1 });
  // No worker yet: both requests land while the first is still waiting to run.
  const first = await staffApi('POST', `/api/staff/users/${twice.id}/delete`, { reason: 'first' });
  const admin = await signedIn(stack.env.baseUrl, 'admin@one.example');
  const second = await admin.api('POST', `/api/tenant-admin/users/${twice.id}/delete`, { reason: 'second' });
  expect(first).toEqual({
    status: 202,
    body: { workflowId: `delete-user-${twice.id}`, attached: false, progress: `/api/staff/users/${twice.id}/deletion` },
  });
  expect(second.body).toMatchObject({ workflowId: `delete-user-${twice.id}`, attached: true });

  const workers = await stack.env.startWorkers();
  const handle = stack.env.temporal.workflow.getHandle(deletionWorkflowId(twice.id));
  await handle.result();
  const runs = [];
  for await (const run of stack.env.temporal.workflow.list({ query: `WorkflowId = '${deletionWorkflowId(twice.id)}'` })) runs.push(run);
  expect(runs).toHaveLength(1);
  expect((await handle.query<{ requestedBy: { reason: string } }>('deletionProgress')).requestedBy.reason).toBe('first');

  const again = await staffApi('POST', `/api/staff/users/${twice.id}/delete`, reason);
  expect(again).toMatchObject({
    status: 409,
    body: { error: { code: 'conflict', message: expect.stringMatching(new RegExp(`^User ${twice.id} was already deleted on \\d{4}-`)) } },
  });
  expect((await admin.api('POST', `/api/tenant-admin/users/${twice.id}/delete`, reason)).status).toBe(409);
  await workers.stop();
});
