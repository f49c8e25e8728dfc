import { z } from 'zod';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { isValidObjectId } from 'mongoose';
import { audit, auditEventIdFor, type AuditInput } from '../audit';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { AuditEventModel, UserModel } from '../models';
import {
  deletionProgressQuery,
  type DeleteUserInput,
  type DeleteUserWorkflow,
  type DeletionProgress,
  type DeletionRequester,
} from '../contracts/deletion';
import { deletionWorkflowId, EntradaStatusKey, EntradaUserIdKey } from '../contracts/shared';

/** The reason staff and tenancy admins give for deleting a user (kept in the audit trail). */
export const deletionReasonSchema = z.object({
  reason: z
    .string({ error: 'Give a reason for the deletion.' })
    .trim()
    .min(1, 'Give a reason for the deletion.')
    .max(500, 'Keep the reason under 500 characters.'),
});

export interface DeletionRequest {
  workflowId: string;
  /** True when a deletion of this user was already running and this request joined it. */
  attached: boolean;
  handle: WorkflowHandle<DeleteUserWorkflow>;
}

type Target = { _id: unknown; isStaff: boolean; tenantId?: string | null; kind: string; status: string };

/**
 * The one way to delete a user (staff console and API, tenant admins, self-service, and
 * the SSO path on a recreated Entra account): checks who may delete whom, then starts the
 * `deleteUser` workflow or joins the one already running. Refusals (404 unknown,
 * 403 not allowed, 409 already deleted), audited, and change nothing.
 *
 * A deletion that completed is never run again: the user is `deleted` (409 here), and the
 * workflow ID may only be reused after a run that failed or was terminated, which is what
 * lets staff resume a deletion someone terminated by hand instead of leaving the account
 * stuck in `deleting`.
 */
export async function requestUserDeletion(client: Client, taskQueue: string, input: DeleteUserInput): Promise<DeletionRequest> {
  const { userId, requestedBy } = input;
  const reason = requestedBy.reason?.trim();
  if (!reason) throw badRequest('Give a reason for the deletion.');
  if (reason.length > 500) throw badRequest('Keep the reason under 500 characters.');
  const user = isValidObjectId(userId) ? await UserModel.findById(userId).lean() : null;
  if (!user) throw notFound(`No user ${userId}.`);

  const refusal = await authorizationProblem(user, requestedBy);
  if (refusal) {
    await audit({
      action: 'user.deletion.request',
      outcome: 'denied',
      actor: auditActor(requestedBy),
      target: { type: 'user', id: userId },
      details: { refusal, reason },
    });
    throw forbidden(refusal);
  }
  const alreadyDeleted = () =>
    conflict(`User ${userId} was already deleted${user.deletion?.completedAt ? ` on ${user.deletion.completedAt.toISOString()}` : ''}.`);
  if (user.status === 'deleted') throw alreadyDeleted();

  const workflowId = deletionWorkflowId(userId);
  const running = await runningRunId(client, workflowId);
  const handle = await client.workflow
    .start<DeleteUserWorkflow>('deleteUser', {
      taskQueue,
      workflowId,
      args: [{ userId, requestedBy: { ...requestedBy, reason } }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      // 'requested' until a worker runs the first step; the workflow keeps it current after.
      typedSearchAttributes: [
        { key: EntradaUserIdKey, value: userId },
        { key: EntradaStatusKey, value: 'requested' },
      ],
    })
    .catch((err) => {
      // A run that completed between our status check and the start (the policy refuses it).
      throw err instanceof WorkflowExecutionAlreadyStartedError ? alreadyDeleted() : err;
    });
  const attached = running !== undefined && running === handle.firstExecutionRunId;
  await audit({
    action: 'user.deletion.request',
    outcome: 'success',
    actor: auditActor(requestedBy),
    target: { type: 'user', id: userId },
    tenantId: user.tenantId ?? undefined,
    details: { workflowId, attached, reason },
  });
  return { workflowId, attached, handle };
}

/**
 * Where a deletion stands: the workflow's own account, or the audit trail once its history
 * is gone. `scope` limits it to users of some tenants (tenant admins); others are "not found".
 */
export async function getDeletionProgress(
  client: Client,
  userId: string,
  scope?: { tenantIds: string[] },
): Promise<DeletionProgress & { workflowId: string }> {
  const user = isValidObjectId(userId) ? await UserModel.findById(userId, { status: 1, deletion: 1, tenantId: 1 }).lean() : null;
  if (!user || (scope && !(user.tenantId && scope.tenantIds.includes(user.tenantId)))) throw notFound(`No user ${userId}.`);
  const workflowId = deletionWorkflowId(userId);
  try {
    return { ...(await client.workflow.getHandle(workflowId).query(deletionProgressQuery)), workflowId };
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  if (user.status !== 'deleted') throw notFound(`User ${userId} is not being deleted.`);
  // The workflow's history has passed its retention: the audit trail still has the counts.
  const purge = await AuditEventModel.findById(auditEventIdFor(`${workflowId}:purge-files`)).lean();
  const files = { purged: 0, bytes: 0, ...(purge?.details?.result as { purged?: number; bytes?: number }) };
  return {
    workflowId,
    userId,
    status: 'deleted',
    requestedBy: { kind: 'system', reason: user.deletion?.reason ?? '' },
    files: { total: files.purged, purged: files.purged, bytes: files.bytes },
    counts: { files: files.purged, bytes: files.bytes },
    completedAt: user.deletion?.completedAt?.toISOString(),
  };
}

/** How a requester appears in the audit trail. */
export function auditActor(by: DeletionRequester): NonNullable<AuditInput['actor']> {
  const kind = by.kind === 'staff' ? 'staff' : by.kind === 'system' ? 'system' : 'user';
  return { kind, userId: by.userId, email: by.email };
}

async function runningRunId(client: Client, workflowId: string): Promise<string | undefined> {
  try {
    const run = await client.workflow.getHandle(workflowId).describe();
    return run.status.name === 'RUNNING' ? run.runId : undefined;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** Who may delete whom. Staff are deleted only by staff; the system (SSO path) by anyone. */
async function authorizationProblem(target: Target, by: DeletionRequester): Promise<string | undefined> {
  if (by.kind === 'system') return undefined;
  const requester = by.userId && isValidObjectId(by.userId) ? await UserModel.findOne({ _id: by.userId, status: 'active' }).lean() : null;
  if (!requester) return 'Only a signed-in user can ask for a deletion.';
  if (by.kind === 'staff') return requester.isStaff ? undefined : 'Only staff can delete accounts from the staff console.';
  if (target.isStaff) return 'Only staff can delete a staff account.';
  if (by.kind === 'tenant-admin') {
    return target.tenantId && requester.tenantAdminOf.includes(target.tenantId)
      ? undefined
      : 'You can only delete users of organisations you administer.';
  }
  if (String(requester._id) !== String(target._id)) return 'You can only delete your own account.';
  if (target.kind !== 'standard') return 'Your organisation manages your account: ask its administrator to delete it.';
  return undefined;
}
