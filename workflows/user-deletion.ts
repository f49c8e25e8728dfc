import {
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE } from '../lib/contracts/failures';
import {
  deletionProgressQuery,
  filePurgeProgressSignal,
  type DeleteUserInput,
  type DeletionCounts,
  type DeletionProgress,
  type DeletionResult,
  type DeletionStatus,
} from '../lib/contracts/deletion';
import { EntradaStatusKey, EntradaUserIdKey, purgeTaskQueue } from '../lib/contracts/shared';

// ---- The process ----------------------------------------------------------------------
/**
 * Deletes a user for good (ID `delete-user-<userId>`): sign-in refused, sessions revoked,
 * every owned file purged on the purge queue (resumable), hubs handed over or purged,
 * links to the user removed, the account and its SSO identities tombstoned, people told.
 * Every step is an idempotent activity that audits itself, so a killed worker just
 * resumes the step it was in.
 */
export async function deleteUser(input: DeleteUserInput): Promise<DeletionResult> {
  const progress: DeletionProgress = {
    userId: input.userId,
    status: 'deleting',
    requestedBy: input.requestedBy,
    files: { total: 0, purged: 0, bytes: 0 },
    counts: {},
  };
  setHandler(deletionProgressQuery, () => progress);
  setHandler(filePurgeProgressSignal, (files) => {
    // Signals from a retried attempt may arrive late; progress only moves forward.
    if (files.purged < progress.files.purged) return;
    progress.files = files;
    describe(progress);
  });

  const { base, purge } = activities();
  const auditEventIds: string[] = [];
  const phase = async <T extends { auditEventId: string }>(status: DeletionStatus, run: () => Promise<T>): Promise<T> => {
    setStatus(progress, status);
    const result = await run();
    auditEventIds.push(result.auditEventId);
    return result;
  };
  const requested = { userId: input.userId, requestedBy: input.requestedBy, workflowId: workflowInfo().workflowId };

  const account = await phase('deleting', () => base.markUserDeleting(requested));
  const step = { ...requested, tenantId: account.tenantId };
  const sessions = await phase('revoking-sessions', () => base.revokeUserSessions(step));
  progress.counts.staffTokens = sessions.staffTokens;

  const files = await phase('purging-files', () => purge.purgeUserFiles(step));
  progress.files = { total: files.purged, purged: files.purged, bytes: files.bytes };
  Object.assign(progress.counts, { files: files.purged, bytes: files.bytes });

  const hubs = await phase('releasing-hubs', () => base.releaseUserHubs(step));
  let hubFiles = 0;
  for (const hubId of hubs.orphaned) {
    const hub = await purge.purgeOrphanedHub({ ...step, hubId });
    auditEventIds.push(hub.auditEventId);
    hubFiles += hub.files;
  }
  Object.assign(progress.counts, { hubsTransferred: hubs.transferred, hubsLeft: hubs.left, hubsDeleted: hubs.orphaned.length, hubFiles });

  const links = await phase('removing-links', () => base.removeUserLinks({ ...step, email: account.email }));
  Object.assign(progress.counts, links.counts);

  const tombstone = await phase('tombstoning', () => base.tombstoneUser(step));
  progress.counts.identitiesTombstoned = tombstone.identities;

  const counts = progress.counts as DeletionCounts;
  await phase('notifying', () => base.notifyUserDeleted({ ...step, account, counts }));

  progress.completedAt = tombstone.completedAt;
  setStatus(progress, 'deleted');
  return { userId: input.userId, counts, auditEventIds, completedAt: tombstone.completedAt };
}

// ---- Helpers --------------------------------------------------------------------------
const retry: ActivityOptions['retry'] = {
  initialInterval: '1s',
  maximumInterval: '30s',
  nonRetryableErrorTypes: NON_RETRYABLE,
};

/** Short steps on the base queue; purges on the purge queue, heartbeating per batch. */
function activities() {
  const base = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry });
  const purge = proxyActivities<Activities>({
    taskQueue: purgeTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '4h',
    heartbeatTimeout: '1m',
    retry,
  });
  return { base, purge };
}

/** The status search attribute changes once per phase (each upsert is a history event). */
function setStatus(p: DeletionProgress, status: DeletionStatus): void {
  p.status = status;
  upsertSearchAttributes([
    { key: EntradaUserIdKey, value: p.userId },
    { key: EntradaStatusKey, value: status },
  ]);
  describe(p);
}

/** Current details in the Temporal UI: who asked, why, and how far the purge is. */
function describe(p: DeletionProgress): void {
  const pct = p.files.total ? Math.floor((100 * p.files.purged) / p.files.total) : 0;
  setCurrentDetails(
    [
      `**Deleting user** \`${p.userId}\` — ${p.status}`,
      `Requested by ${p.requestedBy.kind}${p.requestedBy.email ? ` (${p.requestedBy.email})` : ''}: ${p.requestedBy.reason}`,
      `Files purged: ${p.files.purged} / ${p.files.total} (${pct} %), ${p.files.bytes} bytes`,
    ].join('\n\n'),
  );
}
