import { proxyLocalActivities, setCurrentDetails, upsertSearchAttributes, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE } from '../lib/contracts/failures';
import type { MigrateUserInput, MigrationResult, MigrationStatus } from '../lib/contracts/migration';
import { EntradaStatusKey, EntradaUserIdKey } from '../lib/contracts/shared';

// ---- The process ----------------------------------------------------------------------
/**
 * Lazy migration of a password account to SSO at its first SSO sign-in (ID
 * `migrate-user-<userId>`; a second sign-in attaches to the running one). The account keeps
 * its user ID, so every file, share, hub membership, contact, message and meeting stays
 * attached; the counts before and after prove it. Each step is an idempotent activity that
 * audits itself, so a killed worker resumes where it stopped, and the stalled-migration
 * sweeper restarts a run that died altogether.
 */
export async function migrateUser(input: MigrateUserInput): Promise<MigrationResult> {
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

  setStatus(input, 'notifying');
  await acts.notifyUserMigrated(step);
  await acts.reportMigrationEvidence({ ...step, auditEventIds: cited, countsBefore: migrated.countsBefore });

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

function setStatus(input: MigrateUserInput, status: MigrationStatus): void {
  upsertSearchAttributes([
    { key: EntradaUserIdKey, value: input.userId },
    { key: EntradaStatusKey, value: status },
  ]);
  setCurrentDetails(`**Migrating user** \`${input.userId}\` (${input.email}) to SSO of tenant \`${input.tenantId}\` — ${status}`);
}
