import {
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  streamConfigChangedSignal,
  streamStatusQuery,
  type AuditStreamInput,
  type RoundResult,
  type StreamState,
  type StreamStatus,
} from '../lib/contracts/audit-stream';
import { AuditStreamBacklogKey, AuditStreamLagSecondsKey, EntraTenantIdKey, EntradaStatusKey } from '../lib/contracts/shared';

// ---- The process ----------------------------------------------------------------------
/**
 * A tenancy's audit events to its Log Analytics workspace (ID `audit-stream-<tid>`, on the
 * stream task queue). Round after round, an activity delivers what is after the durable
 * cursor; between rounds the workflow does what the last answer asked:
 *   caught up → next round at once (the activity itself waits for new events);
 *   wait      → sleep for Retry-After, or back off (2 s doubling to 5 min), then resend;
 *   paused    → a 403/404 or refused credentials: staff are told once, and the stream waits for
 *               a configuration change (the signal), looking again only once an hour — no
 *               retry storm;
 *   off       → the stream was switched off: the workflow ends (saving it on starts it again).
 * Lag and backlog are search attributes and current details; continue-as-new every 200 rounds.
 */
export async function auditStream(input: AuditStreamInput): Promise<StreamStatus> {
  const { tenantId } = input;
  const status: StreamStatus = {
    tenantId,
    state: 'starting',
    since: new Date().toISOString(),
    cursor: 0,
    head: 0,
    backlog: 0,
    lagSeconds: 0,
    totals: input.totals ?? { delivered: 0, quarantined: 0, batches: 0 },
  };
  let woken = false;
  setHandler(streamConfigChangedSignal, () => void (woken = true));
  setHandler(streamStatusQuery, () => status);
  const act = activities();

  for (let round = 1, failures = 0; ; round++) {
    if (round > ROUNDS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof auditStream>({ tenantId, totals: status.totals });
    }
    woken = false;
    const result = await act.deliverAuditEvents({ tenantId });
    measure(status, result);
    const outcome = result.outcome;
    if (outcome.kind === 'off') {
      await enter(status, 'off', act);
      return status;
    }
    if (outcome.kind === 'caught-up') {
      failures = 0;
      if (status.state !== 'streaming') await enter(status, 'streaming', act);
      continue;
    }
    if (outcome.kind === 'retry') {
      failures += 1;
      const waitMs = Math.min(MAX_WAIT_MS, outcome.afterMs || Math.min(MAX_BACKOFF_MS, 2_000 * 2 ** (failures - 1)));
      status.retryAt = new Date(Date.now() + waitMs).toISOString();
      await enter(status, 'waiting', act, outcome.reason);
      await condition(() => woken, waitMs);
      delete status.retryAt;
      continue;
    }
    // Paused: staff are told once; a look every hour notices a fix made on the customer's side.
    if (status.state !== 'paused' || status.reason !== outcome.reason) {
      await enter(status, 'paused', act, outcome.reason);
      await act.notifyAuditStreamPaused({ tenantId, reason: outcome.reason, since: status.since, workflowId: workflowInfo().workflowId });
    }
    await condition(() => woken, PAUSED_LOOK_MS);
    failures = 0;
  }
}

// ---- Helpers --------------------------------------------------------------------------
const ROUNDS_PER_RUN = 200;
const MAX_BACKOFF_MS = 5 * 60_000;
/** A Retry-After longer than this is not believed. */
const MAX_WAIT_MS = 60 * 60_000;
const PAUSED_LOOK_MS = 60 * 60_000;

/** The round (up to ~20 s, heartbeating) on the stream queue; the state steps are short. */
function activities() {
  return proxyActivities<Activities>({
    startToCloseTimeout: '2m',
    heartbeatTimeout: '20s',
    retry: { initialInterval: '1s', maximumInterval: '1m' },
  });
}

/** After each round: lag and backlog (search attributes only when they changed: each upsert is a history event). */
function measure(s: StreamStatus, r: RoundResult): void {
  const before = [s.backlog, s.lagSeconds];
  s.cursor = r.cursor;
  s.head = r.head;
  s.backlog = Math.max(0, r.head - r.cursor);
  s.lagSeconds = r.lagSeconds;
  s.totals = {
    delivered: s.totals.delivered + r.delivered,
    quarantined: s.totals.quarantined + r.quarantined,
    batches: s.totals.batches + r.batches,
  };
  if (before[0] !== s.backlog || before[1] !== s.lagSeconds || s.state === 'starting') {
    upsertSearchAttributes([
      { key: AuditStreamBacklogKey, value: s.backlog },
      { key: AuditStreamLagSecondsKey, value: s.lagSeconds },
    ]);
  }
  describe(s);
}

/** A state change: search attribute, the console's record, current details. */
async function enter(s: StreamStatus, state: StreamState, act: ReturnType<typeof activities>, reason?: string): Promise<void> {
  s.state = state;
  s.reason = reason;
  s.since = new Date().toISOString();
  upsertSearchAttributes([
    { key: EntraTenantIdKey, value: s.tenantId },
    { key: EntradaStatusKey, value: state },
  ]);
  await act.recordAuditStreamState({ tenantId: s.tenantId, state, ...(reason ? { reason } : {}) });
  describe(s);
}

function describe(s: StreamStatus): void {
  setCurrentDetails(
    [
      `**Audit stream** of tenant \`${s.tenantId}\` — ${s.state}${s.reason ? `: ${s.reason}` : ''}`,
      `Cursor ${s.cursor} of ${s.head}: backlog ${s.backlog} events, lag ${s.lagSeconds} s${s.retryAt ? `; next attempt ${s.retryAt}` : ''}`,
      `Delivered ${s.totals.delivered} events in ${s.totals.batches} batches; quarantined ${s.totals.quarantined}`,
    ].join('\n\n'),
  );
}
