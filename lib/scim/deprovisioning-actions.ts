/**
 * What staff and a tenancy's admins do to deprovisionings: move a quarantine window, restore
 * an account, put or lift a legal hold, resume purges the safety valve paused. Each is
 * audited; the saga's validators refuse what is too late (400/409, nothing changed), and
 * sagas waiting on a hold or a pause are told to look again at once.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { isValidObjectId } from 'mongoose';
import { audit } from '../audit';
import { badRequest, conflict, notFound } from '../errors';
import { ProvisioningSettingsModel, ScimUserModel, UserModel } from '../models';
import {
  changeQuarantineUpdate,
  deprovisioningWorkflowId,
  recheckSignal,
  restoreUpdate,
  type DeprovisioningActor,
  type DeprovisioningState,
} from '../contracts/deprovisioning';
import { FailureType } from '../contracts/failures';

export interface ActionActor {
  kind: 'staff' | 'tenant-admin';
  email: string;
  userId?: string;
}
/** Tenant admins act only on their own tenancies' users; staff on all (no scope). */
export type Scope = { tenantIds: string[] } | undefined;

const MIN_REASON = 5;
function reasonOf(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON)
    throw badRequest(`Give a reason of at least ${MIN_REASON} characters.`);
  return reason.trim().slice(0, 500);
}
const auditActor = (a: ActionActor) => ({
  kind: a.kind === 'staff' ? ('staff' as const) : ('user' as const),
  email: a.email,
  userId: a.userId,
});
const sagaActor = (a: ActionActor): DeprovisioningActor => ({ kind: a.kind, email: a.email });

async function sagaOf(client: Client, userId: string, scope: Scope) {
  const user = isValidObjectId(userId) ? await UserModel.findById(userId, { tenantId: 1 }).lean() : null;
  if (!user || (scope && !(user.tenantId && scope.tenantIds.includes(user.tenantId))))
    throw notFound(`No deprovisioning of user ${userId}.`);
  return { tenantId: user.tenantId!, handle: client.workflow.getHandle(deprovisioningWorkflowId(userId)) };
}

async function refusedAsAppError<T>(run: () => Promise<T>, userId: string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound(`User ${userId} has no running deprovisioning.`);
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause as { type?: string; message?: string } | undefined;
      throw cause?.type === FailureType.InvalidInput ? badRequest(cause.message ?? err.message) : conflict(cause?.message ?? err.message);
    }
    throw err;
  }
}

/** `purgeAt` (ISO) or `days` from now: shortens or extends the window. */
export async function changeQuarantine(
  client: Client,
  userId: string,
  change: { purgeAt?: unknown; days?: unknown; reason?: unknown },
  actor: ActionActor,
  scope?: Scope,
): Promise<DeprovisioningState> {
  const reason = reasonOf(change.reason);
  const days = change.days === undefined || change.days === '' ? undefined : Number(change.days);
  const purgeAt =
    typeof change.purgeAt === 'string' && change.purgeAt
      ? change.purgeAt
      : days !== undefined && Number.isFinite(days) && days >= 0 && days <= 3650
        ? new Date(Date.now() + days * 86_400_000).toISOString()
        : undefined;
  if (!purgeAt || Number.isNaN(Date.parse(purgeAt)))
    throw badRequest('Say when the quarantine ends: purgeAt (a date) or days from now (0 to 3650).');
  const { tenantId, handle } = await sagaOf(client, userId, scope);
  const state = await refusedAsAppError(
    () =>
      handle.executeUpdate(changeQuarantineUpdate, { args: [{ by: sagaActor(actor), reason, purgeAt: new Date(purgeAt).toISOString() }] }),
    userId,
  );
  await audit({
    action: 'deprovisioning.window-changed',
    outcome: 'success',
    actor: auditActor(actor),
    target: { type: 'user', id: userId },
    tenantId,
    details: { purgeAt: state.purgeAt, reason },
  });
  return state;
}

export async function restoreAccount(
  client: Client,
  userId: string,
  body: { reason?: unknown },
  actor: ActionActor,
  scope?: Scope,
): Promise<DeprovisioningState> {
  const reason = reasonOf(body.reason);
  const { handle } = await sagaOf(client, userId, scope);
  return refusedAsAppError(() => handle.executeUpdate(restoreUpdate, { args: [{ by: sagaActor(actor), reason }] }), userId);
}

/** A hold on the whole tenancy, or (with `userId`) on one user; lifting one lets waiting purges go on. */
export async function setLegalHold(
  client: Client,
  tenantId: string,
  body: { reason?: unknown; userId?: string; lift?: boolean },
  actor: ActionActor,
): Promise<void> {
  const reason = reasonOf(body.reason);
  const hold = { reason, by: actor.email, at: new Date() };
  if (body.userId) {
    const target = isValidObjectId(body.userId)
      ? await ScimUserModel.findOne({ tenantId, userId: body.userId, purgedAt: null }, { _id: 1 }).lean()
      : null;
    if (!target) throw notFound(`User ${body.userId} is not provisioned by this tenancy.`);
    await ScimUserModel.updateOne({ _id: target._id }, body.lift ? { $unset: { legalHold: 1 } } : { $set: { legalHold: hold } });
  } else {
    await ProvisioningSettingsModel.updateOne({ _id: tenantId }, body.lift ? { $unset: { legalHold: 1 } } : { $set: { legalHold: hold } }, {
      upsert: true,
    });
  }
  await audit({
    action: body.lift ? 'scim.legal-hold.lifted' : 'scim.legal-hold.set',
    outcome: 'success',
    actor: auditActor(actor),
    target: body.userId ? { type: 'user', id: body.userId } : { type: 'tenant', id: tenantId },
    tenantId,
    details: { reason },
  });
  if (body.lift) await recheckWaiting(client, tenantId);
}

export async function resumePurges(client: Client, tenantId: string, body: { reason?: unknown }, actor: ActionActor): Promise<void> {
  const reason = reasonOf(body.reason);
  const settings = await ProvisioningSettingsModel.findById(tenantId).lean();
  if (!settings?.purgesPaused?.at) throw conflict('Purges of this tenancy are not paused.');
  // A new generation: the next trip of the valve pauses (and alerts) again.
  await ProvisioningSettingsModel.updateOne(
    { _id: tenantId },
    { $unset: { purgesPaused: 1 }, $set: { generation: (settings.generation ?? 0) + 1 } },
  );
  await audit({
    action: 'scim.purges-resumed',
    outcome: 'success',
    actor: auditActor(actor),
    target: { type: 'tenant', id: tenantId },
    tenantId,
    details: { reason, pausedSince: settings.purgesPaused.at, pausedBy: settings.purgesPaused.by },
  });
  await recheckWaiting(client, tenantId);
}

export async function pausePurges(tenantId: string, body: { reason?: unknown }, actor: ActionActor): Promise<void> {
  const reason = reasonOf(body.reason);
  await ProvisioningSettingsModel.updateOne(
    { _id: tenantId },
    { $set: { purgesPaused: { reason, by: actor.email, at: new Date() } } },
    { upsert: true },
  );
  await audit({
    action: 'scim.purges-paused',
    outcome: 'success',
    actor: auditActor(actor),
    target: { type: 'tenant', id: tenantId },
    tenantId,
    details: { reason },
  });
}

/** Sagas of the tenancy that wait on a hold or a pause look again now. */
async function recheckWaiting(client: Client, tenantId: string): Promise<void> {
  const query = `WorkflowType = "deprovisionUser" AND EntraTenantId = "${tenantId}" AND ExecutionStatus = "Running"`;
  for await (const wf of client.workflow.list({ query })) {
    await client.workflow
      .getHandle(wf.workflowId)
      .signal(recheckSignal)
      .catch(() => undefined); // ended meanwhile
  }
}
