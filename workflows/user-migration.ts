import {
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE } from '../lib/contracts/failures';
import { accountReadyUpdate, type MigrateUserInput, type MigrationResult, type MigrationStatus } from '../lib/contracts/migration';
import { EntradaStatusKey, EntradaUserIdKey } from '../lib/contracts/shared';

// ---- The process ----------------------------------------------------------------------
/**
 * Lazy migration of a password account to SSO at its first SSO sign-in (ID
 * `migrate-user-<userId>`; a second sign-in attaches to the running one). The account keeps
 * its user ID, so every file, share, hub membership, contact, message and meeting stays
 * attached; the counts before and after prove it. Each step is an idempotent activity that
 * audits itself, so a killed worker resumes where it stopped, and the stalled-migration
 * sweeper restarts a run that died altogether.
 *
 * The signing-in user waits only for the account (`accountReady`); the notice and the evidence
 * follow as regular activities, so the task that answers the update completes without them.
 */
export async function migrateUser(input: MigrateUserInput): Promise<MigrationResult> {
  let accountReady = false;
  setHandler(accountReadyUpdate, () => condition(() => accountReady));
  const step = { ...input, workflowId: workflowInfo().workflowId };
  const auditEventIds: string[] = [];
  const run = async <T extends { auditEventId: string }>(status: MigrationStatus, activity: () => Promise<T>): Promise<T> => {
    setStatus(input, status);
    const result = await activity();
    auditEventIds.push(result.auditEventId);
    return result;
  };

  const marked = await run('marking', () => acts.markUserMigrating(step));
  // A run replayed after its worker died at the very end finds the account migrated by itself.
  const migrated = marked.completed ?? (await migrateAccount());
  const cited = marked.completed?.auditEventIds ?? auditEventIds;
  accountReady = true;

  setStatus(input, 'notifying');
  // Runs started on earlier code sent both as local activities; they replay that way.
  const after = patched('notice-after-ready') ? afterwards : acts;
  await after.notifyUserMigrated(step);
  await after.reportMigrationEvidence({ ...step, auditEventIds: cited, countsBefore: migrated.countsBefore });

  setStatus(input, 'migrated');
  return {
    userId: input.userId,
    countsBefore: migrated.countsBefore,
    countsAfter: migrated.countsAfter,
    auditEventIds: cited,
    completedAt: migrated.completedAt,
  };

  async function migrateAccount() {
    setStatus(input, 'counting');
    const countsBefore = await acts.countMigrationObjects({ userId: input.userId, phase: 'before' });
    await run('linking-identity', () => acts.linkMigratedIdentity(step));
    await run('disabling-password', () => acts.disableMigratedPassword(step));
    await run('revoking-sessions', () => acts.revokeMigratedSessions(step));
    const { countsAfter } = await run('verifying', () => acts.verifyMigrationCounts({ ...step, countsBefore }));
    const { completedAt } = await run('activating', () => acts.completeMigration(step));
    return { countsBefore, countsAfter, completedAt };
  }
}

// ---- Helpers --------------------------------------------------------------------------
const retry: ActivityOptions['retry'] = {
  initialInterval: '500ms',
  maximumInterval: '30s',
  nonRetryableErrorTypes: NON_RETRYABLE,
};

/**
 * Local activities: short database steps that a signing-in user waits on, run by the worker
 * that runs the workflow task instead of a task-queue round trip each (≈10 round trips less
 * per migration). They are recorded in history and retried like regular activities; if the
 * worker dies mid-task, the next one re-runs the steps not yet recorded, so each is idempotent.
 */
const acts = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', localRetryThreshold: '10s', retry });
/** Steps after the account is ready: nobody waits on them, and local ones would hold the update's answer back. */
const afterwards = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry });

function setStatus(input: MigrateUserInput, status: MigrationStatus): void {
  upsertSearchAttributes([
    { key: EntradaUserIdKey, value: input.userId },
    { key: EntradaStatusKey, value: status },
  ]);
  setCurrentDetails(`**Migrating user** \`${input.userId}\` (${input.email}) to SSO of tenant \`${input.tenantId}\` — ${status}`);
}
