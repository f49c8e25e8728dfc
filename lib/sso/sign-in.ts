import {
  WithStartWorkflowOperation,
  WorkflowIdConflictPolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import type { Config } from '../config';
import { audit } from '../audit';
import { requestUserDeletion } from '../deletion/requests';
import { SamlRejection } from '../saml/rejection';
import type { TenantSaml } from '../saml/tenant-config';
import { deletionWorkflowId, EntradaStatusKey, EntradaUserIdKey, migrationWorkflowId } from '../contracts/shared';
import { accountReadyUpdate, type MigrateUserWorkflow } from '../contracts/migration';
import type { SsoClaims } from './claims';
import { reportSsoEvidence } from './evidence';
import { noteProvisionedSignIn } from '../scim/evidence';
import { resolveSsoUser, type ResolvedUser, type SsoResolution } from './resolve';
import { settleWithin } from './workflow-wait';

export interface SsoSignInDeps {
  temporal: Client;
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'MIGRATION_ACS_WAIT'>;
}

/** A workflow the sign-in waits for: the account's migration, or the deletion of the account it replaces. */
export interface PendingWork {
  kind: 'migration' | 'replacement';
  userId: string;
  workflowId: string;
}

export type SsoSignInResult = { kind: 'signed-in'; userId: string; user?: ResolvedUser } | { kind: 'pending'; work: PendingWork };

/**
 * Completes an SSO sign-in whose assertion passed every check: finds or makes the account,
 * and if a workflow must run first (migration, deletion of a recreated account's old
 * account), starts or joins it and waits up to `waitMs` before answering "pending".
 */
export async function signInWithSso(
  deps: SsoSignInDeps,
  tenant: TenantSaml,
  claims: SsoClaims,
  waitMs = deps.config.MIGRATION_ACS_WAIT,
): Promise<SsoSignInResult> {
  const resolution = await resolveSsoUser(tenant, claims);
  if (resolution.kind === 'ready') return ready(deps, tenant, claims, resolution);
  if (resolution.kind === 'migrate') {
    const work: PendingWork = { kind: 'migration', userId: resolution.userId, workflowId: migrationWorkflowId(resolution.userId) };
    return settle(deps, tenant, claims, work, waitMs, () => startMigration(deps, tenant, claims, work));
  }
  const work = await startReplacement(deps, tenant, claims, resolution);
  return continueSsoSignIn(deps, tenant, claims, work, waitMs);
}

/** Called again by the "finishing your account" page until the workflow has closed. */
export async function continueSsoSignIn(
  deps: SsoSignInDeps,
  tenant: TenantSaml,
  claims: SsoClaims,
  work: PendingWork,
  waitMs: number,
): Promise<SsoSignInResult> {
  const handle = deps.temporal.workflow.getHandle(work.workflowId);
  const wait =
    work.kind === 'migration' ? () => accountReadyOf(handle, () => handle.executeUpdate(accountReadyUpdate)) : () => handle.result();
  return settle(deps, tenant, claims, work, waitMs, wait);
}

async function settle(
  deps: SsoSignInDeps,
  tenant: TenantSaml,
  claims: SsoClaims,
  work: PendingWork,
  waitMs: number,
  wait: () => Promise<unknown>,
): Promise<SsoSignInResult> {
  const settled = await settleWithin(deps.temporal, waitMs, wait);
  if (settled.state === 'running') return { kind: 'pending', work };
  if (settled.state === 'failed') {
    throw new SamlRejection(
      'account-preparation-failed',
      `The ${work.kind} workflow ${work.workflowId} failed: ${settled.message}`,
      'completed',
      'failed',
    );
  }
  const resolution = await resolveSsoUser(tenant, claims);
  if (resolution.kind !== 'ready') {
    throw new SamlRejection(
      'account-preparation-failed',
      `After the ${work.kind} the account is still not ready`,
      'ready',
      resolution.kind,
    );
  }
  return ready(deps, tenant, claims, resolution, work.kind === 'replacement');
}

async function ready(
  deps: SsoSignInDeps,
  tenant: TenantSaml,
  claims: SsoClaims,
  r: Extract<SsoResolution, { kind: 'ready' }>,
  replaced = false,
): Promise<SsoSignInResult> {
  if (r.provisioned) {
    await reportSsoEvidence(deps.temporal, {
      tenantId: tenant.tenantId,
      stage: tenant.stage,
      configVersion: tenant.configVersion,
      item: replaced ? 'account-recreation' : 'auto-provisioning',
      userId: r.userId,
      email: claims.email,
      auditEventIds: [r.provisioned.auditEventId],
      summary: replaced
        ? `Recreated Entra account ${claims.email} (object ID ${claims.objectId}) got a fresh, empty account after the old one was deleted.`
        : `First SSO sign-in of ${claims.email} created an SSO account automatically.`,
    });
  } else {
    await noteProvisionedSignIn(deps.temporal, tenant, r.userId, claims.email);
  }
  return { kind: 'signed-in', userId: r.userId, ...(r.user ? { user: r.user } : {}) };
}

/**
 * Starts the account's migration and waits for its account to be ready (update-with-start):
 * the user is not kept waiting for the notice email and the evidence that follow. A second
 * sign-in while the migration runs joins it: never two migrations of one account.
 */
async function startMigration(deps: SsoSignInDeps, tenant: TenantSaml, claims: SsoClaims, work: PendingWork): Promise<void> {
  const { userId, workflowId } = work;
  const startWorkflowOperation = new WithStartWorkflowOperation<MigrateUserWorkflow>('migrateUser', {
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    workflowId,
    args: [{ userId, tenantId: tenant.tenantId, objectId: claims.objectId, nameId: claims.nameId, email: claims.email }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [
      { key: EntradaUserIdKey, value: userId },
      { key: EntradaStatusKey, value: 'starting' },
    ],
  });
  const handle = deps.temporal.workflow.getHandle(workflowId);
  await accountReadyOf(handle, () => deps.temporal.workflow.executeUpdateWithStart(accountReadyUpdate, { startWorkflowOperation }));
}

/**
 * The migration's `accountReady` answer. A run that closed without answering (it failed, or
 * finished before the update reached it) is read from its result instead: a failure then
 * surfaces as the workflow's own.
 */
async function accountReadyOf(handle: { result(): Promise<unknown> }, ask: () => Promise<unknown>): Promise<void> {
  try {
    await ask();
  } catch (err) {
    if (!(err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError)) throw err;
    await handle.result();
  }
}

/** The old account goes through the deletion workflow (files purged) before a fresh one exists. */
async function startReplacement(
  deps: SsoSignInDeps,
  tenant: TenantSaml,
  claims: SsoClaims,
  r: Extract<SsoResolution, { kind: 'replace' }>,
): Promise<PendingWork> {
  const reason = r.recreated ? 'recreated-entra-account' : 'sso-sign-in-while-account-deleted';
  await audit({
    action: 'sso.recreated-account-detected',
    outcome: 'success',
    actor: { kind: 'system' },
    target: { type: 'user', id: r.oldUserId },
    tenantId: tenant.tenantId,
    details: { email: claims.email, newObjectId: claims.objectId, reason },
  });
  await requestUserDeletion(deps.temporal, deps.config.TEMPORAL_TASK_QUEUE, {
    userId: r.oldUserId,
    requestedBy: { kind: 'system', reason },
  });
  return { kind: 'replacement', userId: r.oldUserId, workflowId: deletionWorkflowId(r.oldUserId) };
}
