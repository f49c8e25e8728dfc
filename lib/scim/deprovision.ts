/**
 * Starting and restoring deprovisioning sagas from SCIM. The saga is the commit point of a
 * SCIM DELETE: it is started first (it suspends the account at once and re-checks everything
 * before it purges), then the record is marked deleted, then the safety valve counts it.
 */
import {
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { ScimUserModel, UserModel } from '../models';
import {
  deprovisioningWorkflowId,
  restoreSignal,
  restoreUpdate,
  type DeprovisionUserWorkflow,
  type DeprovisioningActor,
} from '../contracts/deprovisioning';
import { EntraTenantIdKey, EntradaStatusKey, EntradaUserIdKey } from '../contracts/shared';
import type { ScimContext } from './context';
import { uniqueness } from './errors';
import { provisioningSettings } from './settings';
import { suspendAccount } from './suspension';
import type { ScimUserRecord } from './user-records';
import { countDeprovisioning } from './valve';

/** How long a SCIM request waits for a saga to accept a restore before answering 503 (Entra retries). */
const RESTORE_WAIT_MS = 10_000;

export async function startDeprovisioning(ctx: ScimContext, doc: ScimUserRecord, email: string): Promise<void> {
  const at = new Date();
  const settings = await provisioningSettings(ctx.config, ctx.tenantId);
  const userId = String(doc.userId);
  await ctx.temporal.workflow.start<DeprovisionUserWorkflow>('deprovisionUser', {
    taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
    workflowId: deprovisioningWorkflowId(userId),
    args: [
      {
        tenantId: ctx.tenantId,
        userId,
        objectId: doc.externalId,
        scimId: doc._id,
        email,
        requestedAt: at.toISOString(),
        quarantineMs: settings.quarantineMs,
      },
    ],
    // A replayed DELETE joins the running saga; a user deleted again after a restore gets a new one.
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [
      { key: EntraTenantIdKey, value: ctx.tenantId },
      { key: EntradaUserIdKey, value: userId },
      { key: EntradaStatusKey, value: 'suspending' },
    ],
  });
  await ScimUserModel.updateOne({ _id: doc._id, deletedAt: null }, { $set: { deletedAt: at }, $inc: { version: 1 } });
  // Suspended before the 204 goes out (the saga's first step does the same, idempotently).
  await suspendAccount(userId, { tenantId: ctx.tenantId, actor: { kind: 'system' }, reason: 'scim-deleted', details: { scimId: doc._id } });
  await countDeprovisioning(ctx, ctx.tenantId, doc._id, at);
}

export type RestoreOutcome = 'restored' | 'purged';

/**
 * Asks the user's saga to restore the account (a re-create, or active=true, during the window).
 * `purged` when the saga is over and the account gone: the caller then provisions afresh.
 */
export async function restoreFromScim(client: Client, doc: ScimUserRecord, reason: string): Promise<RestoreOutcome> {
  const handle = client.workflow.getHandle<DeprovisionUserWorkflow>(deprovisioningWorkflowId(String(doc.userId)));
  const by: DeprovisioningActor = { kind: 'scim' };
  try {
    await client.withDeadline(Date.now() + RESTORE_WAIT_MS, () => handle.executeUpdate(restoreUpdate, { args: [{ by, reason }] }));
    return 'restored';
  } catch (err) {
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      // No worker confirmed it in time: record the restore durably instead; the saga acts on it when it runs.
      await handle.signal(restoreSignal, { by, reason });
      return 'restored';
    }
    if (err instanceof WorkflowUpdateFailedError) {
      const message = err.cause?.message ?? err.message;
      if (/already restored/.test(message)) return 'restored';
      throw uniqueness(
        `This user is being purged after its deletion (${message}); send it again once that finished to provision a new, empty account.`,
      );
    }
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  // No running saga: it ended (restored, or purged), or never started after a crash.
  const user = await UserModel.findById(doc.userId, { status: 1 }).lean();
  if (!user || user.status === 'deleted') return 'purged';
  if (user.status === 'deleting')
    throw uniqueness('This user is being purged; send it again once that finished to provision a new, empty account.');
  return 'restored';
}
