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
import { dueWarning, nextWarningAt, rolledUntil, validatePause, validateResume, validateRetire, warningKey } from '../lib/contracts/connection-rules';
import { EntraTenantIdKey } from '../lib/contracts/shared';
import { acts } from './connection/activities';
import { metadataRefresher } from './connection/refresh';
import { note, showStatus } from './connection/status';

const HISTORY_LIMIT = 2_000;

export async function ssoConnection(input: c.ConnectionInput, carried?: c.ConnectionState): Promise<void> {
  const { tenantId } = input;
  const state = carried ?? (await initialState(tenantId));
  const bursts: c.SignatureBurst[] = [];
  const proofs: c.CertificateProven[] = [];
  const refreshMetadata = metadataRefresher(state);
  const system = (action: string, details: Record<string, unknown>, staffEmail?: string) =>
    acts.auditConnection({ action, outcome: 'success', actor: staffEmail ? { kind: 'staff', email: staffEmail } : { kind: 'system' }, tenantId, details });

  // ---- Handlers ------------------------------------------------------------------------
  setHandler(c.connectionStateQuery, () => state);
  setHandler(c.signatureBurstSignal, (burst) => void bursts.push(burst));
  setHandler(c.certificateProvenSignal, (proof) => void proofs.push(proof));

  setHandler(
    c.pauseConnectionUpdate,
    async ({ staffEmail, reason }) => {
      state.paused = { by: staffEmail, reason: reason.trim(), at: new Date().toISOString() };
      await system('sso.connection.pause', { reason: state.paused.reason }, staffEmail);
      note(state, `Paused: ${state.paused.reason}`, staffEmail);
      showStatus(state);
      return state;
    },
    { validator: (args) => validatePause(state, args) },
  );
  setHandler(
    c.resumeConnectionUpdate,
    async ({ staffEmail }) => {
      state.paused = undefined;
      await system('sso.connection.resume', {}, staffEmail);
      note(state, 'Resumed', staffEmail);
      // Refreshes were skipped while paused: catch up now.
      await refreshMetadata('staff', staffEmail);
      showStatus(state);
      return state;
    },
    { validator: (_args) => validateResume(state) },
  );
  setHandler(c.refreshConnectionUpdate, async ({ staffEmail }) => {
    await refreshMetadata('staff', staffEmail);
    showStatus(state);
    return state;
  });
  setHandler(
    c.retireCertificateUpdate,
    async ({ staffEmail, thumbprint, reason }) => {
      const wanted = thumbprint.replace(/[:\s]/g, '').toUpperCase();
      state.certificates = await acts.retireCertificate({ tenantId, thumbprint: wanted, staffEmail, reason: reason.trim() });
      note(state, `Certificate ${wanted} retired: ${reason.trim()}`, staffEmail);
      showStatus(state);
      return state;
    },
    { validator: (args) => validateRetire(state, args, Date.now()) },
  );

  // ---- The process -----------------------------------------------------------------------
  for (;;) {
    for (let proof = proofs.shift(); proof; proof = proofs.shift()) await recordProof(proof);
    for (let burst = bursts.shift(); burst; burst = bursts.shift()) await answerBurst(burst);
    if (!state.paused && Date.now() >= Date.parse(state.nextRefreshAt)) await refreshMetadata('schedule');
    await sendDueWarnings();
    showStatus(state);

    if (historyIsLong() && bursts.length === 0 && proofs.length === 0) {
      await condition(allHandlersFinished);
      await makeContinueAsNewFunc<c.SsoConnectionWorkflow>({ typedSearchAttributes: searchAttributes(state) })(input, state);
    }
    const wake = nextWake(state);
    await condition(() => bursts.length > 0 || proofs.length > 0 || historyIsLong(), Math.max(1, wake - Date.now()));
  }

  // ---- Steps -------------------------------------------------------------------------------
  async function recordProof(proof: c.CertificateProven): Promise<void> {
    const cert = state.certificates.find((x) => x.thumbprint === proof.thumbprint);
    if (!cert || cert.provenAt) return;
    state.certificates = await acts.markCertificateProven({ tenantId, thumbprint: proof.thumbprint, at: proof.at });
    if (state.problem?.kind === 'signature-failures') state.problem = undefined;
    note(state, `Rollover proven: ${proof.email} signed in with certificate ${proof.thumbprint}`);
  }

  /** A surprise rotation, most likely: staff hear at once, and (unless paused) the metadata is read now. */
  async function answerBurst(burst: c.SignatureBurst): Promise<void> {
    const message = `${burst.count} sign-ins refused for an invalid signature within ${c.SIGNATURE_BURST.windowMs / 60_000} minutes`;
    state.problem = { kind: 'signature-failures', message, at: burst.at };
    note(state, `${message}; ${state.paused ? 'paused, so no refresh' : 'refreshing the metadata now'}`);
    await system('sso.connection.signature-burst', { count: burst.count, auditEventId: burst.auditEventId, paused: Boolean(state.paused) });
    await acts.sendConnectionAlert({
      tenantId,
      key: `signature-burst:${burst.auditEventId}`,
      headline: 'Sign-ins refused: invalid signature',
      details: `${message}. The customer has probably rotated their Entra signing certificate without telling anyone. ${state.paused ? 'The connection is paused, so Entrada did not refresh the metadata: refresh it from the staff console.' : 'Entrada is refreshing the federation metadata now; the staff console shows the outcome.'}`,
    });
    if (!state.paused) await refreshMetadata('signature-burst');
  }

  async function sendDueWarnings(): Promise<void> {
    for (let due = dueWarning(state, Date.now()); due; due = dueWarning(state, Date.now())) {
      const { cert, days, covers } = due;
      await acts.sendCertificateExpiryWarning({ tenantId, thumbprint: cert.thumbprint, notAfter: cert.notAfter, days });
      state.warningsSent.push(...covers.map((d) => warningKey(cert.thumbprint, d)).filter((k) => !state.warningsSent.includes(k)));
      await system('sso.certificate.expiry-warning', { thumbprint: cert.thumbprint, notAfter: cert.notAfter, days });
      note(state, `Expiry warning (${days} day${days === 1 ? '' : 's'}) sent for certificate ${cert.thumbprint}`);
    }
  }
}

async function initialState(tenantId: string): Promise<c.ConnectionState> {
  const snapshot = await acts.readConnection({ tenantId });
  const now = Date.now();
  const state: c.ConnectionState = {
    tenantId,
    orgName: snapshot.orgName,
    health: 'healthy',
    refreshIntervalMs: snapshot.refreshIntervalMs,
    certificates: snapshot.certificates,
    nextRefreshAt: new Date(now + snapshot.refreshIntervalMs).toISOString(),
    warningsSent: [],
    events: [],
  };
  note(state, `Connection watch started: ${snapshot.certificates.length} trusted certificate(s)`);
  return state;
}

/** The next moment something is due: a refresh (unless paused), a warning, or the end of `cert-rolled`. */
function nextWake(state: c.ConnectionState): number {
  const now = Date.now();
  const times = [nextWarningAt(state, now), rolledUntil(state, now), state.paused ? undefined : Date.parse(state.nextRefreshAt)].filter((t): t is number => t !== undefined);
  // A paused connection with nothing due still wakes daily, to re-check its health.
  return Math.min(...times, now + 24 * 3600 * 1000);
}

function historyIsLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > HISTORY_LIMIT;
}

export const searchAttributes = (state: c.ConnectionState) => [
  { key: EntraTenantIdKey, value: state.tenantId },
  { key: c.ConnectionHealthKey, value: state.health },
];
