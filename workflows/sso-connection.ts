/**
 * The SSO connection of a live tenancy, one durable process per tenancy (workflow ID
 * `sso-connection-<tid>`), started by go-live and ensured at worker start:
 *
 *   every refresh interval: re-read the federation metadata → stage new certificates, keep
 *   unpublished ones until they expire → warn 30/7/1 days before the last one expires
 *
 * The ACS signals a burst of signature refusals (a surprise rotation: refresh at once, alert
 * staff) and the first sign-in verified with a staged certificate (rollover proof). Staff
 * pause, resume, refresh and retire certificates through Updates. Health is the
 * ConnectionHealth search attribute; the run continues as new when its history grows.
 */
import { allHandlersFinished, condition, makeContinueAsNewFunc, setHandler, workflowInfo } from '@temporalio/workflow';
import * as c from '../lib/contracts/connection';
import {
  healthOf,
  nextWarningAt,
  rolledUntil,
  validatePause,
  validateResume,
  validateRetire,
  validateSettingsChange,
} from '../lib/contracts/connection-rules';
import { FailureType } from '../lib/contracts/failures';
import { refuse } from '../lib/contracts/refusal';
import { EntraTenantIdKey } from '../lib/contracts/shared';
import { acts } from './connection/activities';
import { refusal } from './onboarding/activities';
import { metadataRefresher, type Refresh } from './connection/refresh';
import { note, showStatus } from './connection/status';
import { answerBurst, audit, recordProof, sendDueWarnings } from './connection/steps';

/** A run of ~25 days at the default interval (a refresh is ~10 events), well below Temporal’s limits. */
const HISTORY_LIMIT = 1_000;

export async function ssoConnection(input: c.ConnectionInput, carried?: c.ConnectionState): Promise<void> {
  // Handlers are registered before the first activity, so no signal or update arrives to find
  // none; until the tenancy has been read, updates are refused as "try again".
  let state: c.ConnectionState | undefined = carried;
  let refresh: Refresh | undefined;
  const ready = (): { state: c.ConnectionState; refresh: Refresh } => {
    if (!state || !refresh) throw refuse(FailureType.Unavailable, 'the connection is starting: try again in a moment');
    return { state, refresh };
  };
  const bursts: c.SignatureBurst[] = [];
  const proofs: c.CertificateProven[] = [];

  // ---- Handlers ------------------------------------------------------------------------
  // The health is computed for the answer: the state may have changed since it was last shown.
  setHandler(c.connectionStateQuery, () => (state ? { ...state, health: healthOf(state, Date.now()) } : null));
  setHandler(c.signatureBurstSignal, (burst) => void bursts.push(burst));
  setHandler(c.certificateProvenSignal, (proof) => void proofs.push(proof));

  /** Every staff update: validated against the state, done, shown, and answered with the state. */
  const staffUpdate = async (work: (s: c.ConnectionState, refresh: Refresh) => Promise<unknown>) => {
    const { state: s, refresh: r } = ready();
    await work(s, r);
    showStatus(s);
    return s;
  };
  setHandler(
    c.pauseConnectionUpdate,
    ({ staffEmail, reason }) =>
      staffUpdate(async (s) => {
        s.paused = { by: staffEmail, reason: reason.trim(), at: new Date().toISOString() };
        await audit(s, 'sso.connection.pause', { reason: s.paused.reason }, staffEmail);
        note(s, `Paused: ${s.paused.reason}`, staffEmail);
      }),
    { validator: (args) => validatePause(ready().state, args) },
  );
  setHandler(
    c.resumeConnectionUpdate,
    ({ staffEmail }) =>
      staffUpdate(async (s, r) => {
        await audit(s, 'sso.connection.resume', {}, staffEmail);
        note(s, 'Resumed', staffEmail);
        // Refreshes were skipped while paused: catch up now, once. The pause ends only after it,
        // so the main loop cannot run an overdue scheduled refresh meanwhile (which would also
        // count as the "later scheduled refresh" that ends a signature-failure problem).
        await r('staff', staffEmail);
        s.paused = undefined;
      }),
    { validator: (_args) => validateResume(ready().state) },
  );
  setHandler(c.refreshConnectionUpdate, ({ staffEmail }) => staffUpdate((_s, r) => r('staff', staffEmail)), {
    validator: (_args) => void ready(),
  });
  setHandler(
    c.retireCertificateUpdate,
    ({ staffEmail, thumbprint, reason }) =>
      staffUpdate(async (s) => {
        const wanted = thumbprint.replace(/[:\s]/g, '').toUpperCase();
        s.certificates = await acts.retireCertificate({ tenantId: s.tenantId, thumbprint: wanted, staffEmail, reason: reason.trim() });
        note(s, `Certificate ${wanted} retired: ${reason.trim()}`, staffEmail);
      }),
    { validator: (args) => validateRetire(ready().state, args, Date.now()) },
  );

  setHandler(
    c.updateSettingsUpdate,
    ({ staffEmail, settings, reason }) =>
      staffUpdate(async (s) => {
        // A refused change (bad settings) is the staff member's answer, not a workflow failure.
        s.certificates = await acts
          .updateConnectionSettings({ tenantId: s.tenantId, staffEmail, settings, reason: reason.trim() })
          .catch((err: unknown) => Promise.reject(refusal(err)));
        note(s, `Settings changed (previous kept for rollback): ${reason.trim()}`, staffEmail);
      }),
    { validator: validateSettingsChange },
  );
  setHandler(
    c.rollBackSettingsUpdate,
    ({ staffEmail, reason }) =>
      staffUpdate(async (s) => {
        s.certificates = await acts
          .rollBackConnectionSettings({ tenantId: s.tenantId, staffEmail, reason: reason.trim() })
          .catch((err: unknown) => Promise.reject(refusal(err)));
        note(s, `Settings rolled back to the previous ones: ${reason.trim()}`, staffEmail);
      }),
    { validator: validateSettingsChange },
  );

  // ---- The process -----------------------------------------------------------------------
  const s = (state ??= await initialState(input.tenantId));
  const r = (refresh = metadataRefresher(s));
  for (;;) {
    for (let proof = proofs.shift(); proof; proof = proofs.shift()) await recordProof(s, proof);
    for (let burst = bursts.shift(); burst; burst = bursts.shift()) await answerBurst(s, burst, r);
    if (!s.paused && Date.now() >= Date.parse(s.nextRefreshAt)) await r('schedule');
    await sendDueWarnings(s);
    showStatus(s);

    if (historyIsLong() && bursts.length === 0 && proofs.length === 0) {
      await condition(allHandlersFinished);
      await makeContinueAsNewFunc<c.SsoConnectionWorkflow>({ typedSearchAttributes: searchAttributes(s) })(input, s);
    }
    await condition(() => bursts.length > 0 || proofs.length > 0 || historyIsLong(), Math.max(1, nextWake(s) - Date.now()));
  }
}

async function initialState(tenantId: string): Promise<c.ConnectionState> {
  const snapshot = await acts.readConnection({ tenantId });
  const state: c.ConnectionState = {
    tenantId,
    orgName: snapshot.orgName,
    health: 'healthy',
    refreshIntervalMs: snapshot.refreshIntervalMs,
    certificates: snapshot.certificates,
    nextRefreshAt: new Date(Date.now() + snapshot.refreshIntervalMs).toISOString(),
    warningsSent: [],
    events: [],
  };
  note(state, `Connection watch started: ${snapshot.certificates.length} trusted certificate(s)`);
  return state;
}

/** The next moment something is due: a refresh (unless paused), a warning, or the end of `cert-rolled`. */
function nextWake(state: c.ConnectionState): number {
  const now = Date.now();
  const times = [nextWarningAt(state, now), rolledUntil(state, now), state.paused ? undefined : Date.parse(state.nextRefreshAt)].filter(
    (t): t is number => t !== undefined,
  );
  // A paused connection with nothing due still wakes daily, to re-check its health.
  return Math.min(...times, now + 24 * 3600 * 1000);
}

function historyIsLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > HISTORY_LIMIT;
}

const searchAttributes = (state: c.ConnectionState) => [
  { key: EntraTenantIdKey, value: state.tenantId },
  { key: c.ConnectionHealthKey, value: state.health },
];
