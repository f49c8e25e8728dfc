import {
  condition,
  continueAsNew,
  executeChild,
  ParentClosePolicy,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DeleteUserWorkflow } from '../lib/contracts/deletion';
import {
  changeQuarantineUpdate,
  deprovisioningStateQuery,
  recheckSignal,
  restoreSignal,
  restoreUpdate,
  validateQuarantineChange,
  validateRestore,
  type DeprovisionInput,
  type DeprovisioningStage,
  type DeprovisioningState,
  type RestoreRequest,
} from '../lib/contracts/deprovisioning';
import { NON_RETRYABLE } from '../lib/contracts/failures';
import { deletionWorkflowId, EntraTenantIdKey, EntradaStatusKey, EntradaUserIdKey } from '../lib/contracts/shared';

// ---- The process ----------------------------------------------------------------------
/**
 * Deprovisioning of one SCIM-deleted user (ID `deprovision-<userId>`): suspend at once, wait
 * out the quarantine window, re-check that the directory still wants the user gone (and that
 * no hold or paused tenancy blocks it), then purge with `deleteUser` as a child. Until the
 * purge starts, a re-create, `active = true` or staff restore the account. Timers and the
 * child's start are in history, so a killed worker resumes without losing a restore or
 * starting a second purge.
 */
export async function deprovisionUser(input: DeprovisionInput): Promise<DeprovisioningState> {
  const state: DeprovisioningState = input.resume ?? {
    input: { ...input, resume: undefined },
    stage: 'suspending',
    // From the workflow's clock (deterministic, and the one its timers use), not the caller's.
    purgeAt: new Date(Date.now() + input.quarantineMs).toISOString(),
    timeline: [],
  };
  let restoreRequest: RestoreRequest | undefined;
  let windowMoved = false;
  let recheck = false;

  setHandler(deprovisioningStateQuery, () => state);
  setHandler(
    changeQuarantineUpdate,
    (change) => {
      state.purgeAt = change.purgeAt;
      windowMoved = true;
      note(state, `quarantine now ends ${change.purgeAt}: ${change.reason}`, change.by.email ?? change.by.kind);
      describe(state);
      return state;
    },
    { validator: (change) => validateQuarantineChange(state, change) },
  );
  setHandler(
    restoreUpdate,
    async (request) => {
      restoreRequest ??= request;
      await condition(() => state.stage === 'restored');
      return state;
    },
    { validator: (request) => validateRestore(state, request) },
  );
  setHandler(restoreSignal, (request) => {
    if (LATE.includes(state.stage)) note(state, `restore from ${request.by.kind} arrived too late (${state.stage}): ${request.reason}`);
    else restoreRequest ??= request;
  });
  setHandler(recheckSignal, () => void (recheck = true));

  const step = { ...state.input, workflowId: workflowInfo().workflowId };
  if (state.stage === 'suspending') {
    enter(state, 'suspending', 'SCIM deleted the user');
    await acts.suspendForDeprovisioning({ ...step, purgeAt: state.purgeAt });
    enter(state, 'quarantined', `suspended; purge not before ${state.purgeAt}`);
  }

  for (;;) {
    while (!restoreRequest && Date.parse(state.purgeAt) > Date.now()) {
      if (state.stage !== 'quarantined') enter(state, 'quarantined', `waiting until ${state.purgeAt}`);
      windowMoved = false;
      await condition(() => Boolean(restoreRequest) || windowMoved, Date.parse(state.purgeAt) - Date.now());
    }
    if (restoreRequest) return restore(restoreRequest);
    if (state.stage !== 'rechecking') enter(state, 'rechecking', 'quarantine over: checking the directory, holds and the safety valve');
    const check = await acts.checkPurge(step);
    if (restoreRequest) return restore(restoreRequest);
    if (check.verdict === 'purge') break;
    if (check.verdict === 'restore') return restore({ by: { kind: 'scim' }, reason: check.reason });
    if (check.verdict === 'gone') {
      enter(state, 'purged', `nothing to purge: ${check.reason}`);
      return state;
    }
    const blocked: DeprovisioningStage = check.verdict === 'held' ? 'held' : 'purge-paused';
    if (state.stage !== blocked || state.blockedBy !== check.reason) enter(state, blocked, check.reason, check.reason);
    [recheck, windowMoved] = [false, false];
    await condition(() => Boolean(restoreRequest) || recheck || windowMoved, RECHECK_EVERY);
    // A hold can last for months: keep the history short.
    if (workflowInfo().continueAsNewSuggested && !restoreRequest)
      await continueAsNew<typeof deprovisionUser>({ ...state.input, resume: state });
  }

  enter(state, 'purging', 'quarantine over and nothing blocks it: purging with deleteUser');
  const deletion = await executeChild<DeleteUserWorkflow>('deleteUser', {
    workflowId: deletionWorkflowId(state.input.userId),
    args: [
      {
        userId: state.input.userId,
        requestedBy: {
          kind: 'system',
          reason: `Deprovisioned by the organisation's directory (SCIM DELETE at ${state.input.requestedAt}; quarantine ended ${state.purgeAt})`,
        },
      },
    ],
    // Once started, a purge finishes even if this saga is terminated.
    parentClosePolicy: ParentClosePolicy.ABANDON,
    typedSearchAttributes: [
      { key: EntradaUserIdKey, value: state.input.userId },
      { key: EntradaStatusKey, value: 'requested' },
    ],
  });
  state.deletion = { workflowId: deletionWorkflowId(state.input.userId), completedAt: deletion.completedAt, files: deletion.counts.files };
  await acts.recordPurged({ ...step, deletionAuditEventIds: deletion.auditEventIds, files: deletion.counts.files });
  enter(state, 'purged', `purged: ${deletion.counts.files} files`);
  return state;

  async function restore(request: RestoreRequest): Promise<DeprovisioningState> {
    await acts.restoreDeprovisioned({ ...step, by: request.by, reason: request.reason });
    state.restored = { ...request, at: new Date().toISOString() };
    enter(state, 'restored', `restored by ${request.by.email ?? request.by.kind}: ${request.reason}`);
    return state;
  }
}

// ---- Helpers --------------------------------------------------------------------------
const LATE: DeprovisioningStage[] = ['purging', 'purged', 'restored'];
/** Held or paused purges look again this often (staff releasing a hold signal at once). */
const RECHECK_EVERY = '1d';

const retry: ActivityOptions['retry'] = { initialInterval: '1s', maximumInterval: '1m', nonRetryableErrorTypes: NON_RETRYABLE };
const acts = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry });

function note(state: DeprovisioningState, event: string, by?: string): void {
  state.timeline.push({ at: new Date().toISOString(), event, ...(by ? { by } : {}) });
  if (state.timeline.length > 50) state.timeline.splice(1, state.timeline.length - 50);
}

/** Stage, timeline, search attributes and the Temporal UI's details change together. */
function enter(state: DeprovisioningState, stage: DeprovisioningStage, event: string, blockedBy?: string): void {
  state.stage = stage;
  state.blockedBy = blockedBy;
  note(state, event);
  upsertSearchAttributes([
    { key: EntraTenantIdKey, value: state.input.tenantId },
    { key: EntradaUserIdKey, value: state.input.userId },
    { key: EntradaStatusKey, value: stage },
  ]);
  describe(state);
}

function describe(state: DeprovisioningState): void {
  setCurrentDetails(
    [
      `**Deprovisioning** \`${state.input.email}\` (user \`${state.input.userId}\`, tenancy \`${state.input.tenantId}\`) — ${state.stage}`,
      `SCIM DELETE at ${state.input.requestedAt}; purge not before **${state.purgeAt}**`,
      ...(state.blockedBy ? [`Purge blocked: ${state.blockedBy}`] : []),
    ].join('\n\n'),
  );
}
