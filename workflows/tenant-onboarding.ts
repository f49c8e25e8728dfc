/**
 * Tenant onboarding, one durable process per Entra tenant (workflow ID `onboard-<tid>`):
 *
 *   requested → awaiting-consent (⇄ consent-expired) → configuring → testing
 *             → awaiting-go-live → live            (cancelled from any stage before go-live)
 *
 * Staff act through validated Updates, the consent callback and the SSO/migration/deletion
 * code through Signals; the query returns the whole state. Every stage change is mirrored to
 * the OnboardingStage search attribute, the Temporal UI's current details and the Tenant.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  log,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { EntraTenantIdKey, OnboardingStageKey, testEvidenceSignal, type TestEvidence } from './shared';
import { acts, importActs, refusal } from './onboarding/activities';
import { emptyChecklist, isWellFormedEvidence, missingMandatory, recordEvidence } from './onboarding/checklist';
import { obtainConsent } from './onboarding/consent';
import * as m from './onboarding/messages';
import { enterStage, note, showDetails } from './onboarding/stage';
import { WAITING_FOR, type OnboardingInput, type OnboardingState, type SamlSummary } from './onboarding/state';
import { normalizeDomain } from './onboarding/validation';
import * as v from './onboarding/validators';

export type { OnboardingInput, OnboardingState } from './onboarding/state';

export async function tenantOnboarding(input: OnboardingInput): Promise<OnboardingState> {
  const now = new Date().toISOString();
  const state: OnboardingState = {
    input,
    stage: 'requested',
    stageSince: now,
    waitingFor: WAITING_FOR.requested,
    consent: { round: 1, sentRound: 0, remindersSent: 0 },
    checklist: emptyChecklist(),
    domains: [],
    timeline: [{ at: now, stage: 'requested', event: `Onboarding requested for ${input.orgName}`, by: input.requestedBy }],
  };
  const tenantId = input.tenantId;
  let cancelRequest: { by: string; reason: string } | undefined;
  const isCancelled = () => cancelRequest !== undefined;
  /** Handler activities in flight (imports, domain claims): finish them before go-live or cancel. */
  let busy = 0;

  // ---- Handlers ------------------------------------------------------------------------
  setHandler(m.onboardingStateQuery, () => state);

  setHandler(m.consentGrantedSignal, (grant) => {
    // Any round's link proves the same thing: an admin of this tenant consented.
    if (state.stage !== 'awaiting-consent' || state.consent.grantedAt) return;
    Object.assign(state.consent, { grantedAt: grant.grantedAt, grantAuditEventId: grant.auditEventId });
    note(state, `Admin consent granted (link round ${grant.round})`);
  });

  setHandler(testEvidenceSignal, (evidence: TestEvidence) => {
    if (!['testing', 'awaiting-go-live'].includes(state.stage) || !isWellFormedEvidence(evidence)) {
      log.info('test evidence ignored', { stage: state.stage, item: (evidence as TestEvidence)?.item });
      return;
    }
    recordEvidence(state.checklist, evidence);
    note(state, `Test evidence: ${evidence.item} — ${evidence.summary}`, evidence.staff?.email ?? evidence.email);
    showDetails(state);
  });

  setHandler(
    m.reissueConsentUpdate,
    async ({ staffEmail }) => {
      const round = ++state.consent.round;
      note(state, `Consent link re-issue requested (round ${round})`, staffEmail);
      await acts.auditOnboarding({ action: 'onboarding.consent.reissue', outcome: 'success', actor: { kind: 'staff', email: staffEmail }, tenantId, details: { round } });
      await condition(() => state.consent.sentRound >= round || isCancelled());
      return { round };
    },
    { validator: (args) => v.validateReissue(state, args) },
  );

  setHandler(m.uploadMetadataUpdate, ({ staffEmail, xml }) => importMetadata(staffEmail, () => importActs.importMetadataXml({ tenantId, staffEmail, xml })), {
    validator: (args) => v.validateMetadataUpload(state, args),
  });
  setHandler(m.fetchMetadataUpdate, ({ staffEmail, appId }) => importMetadata(staffEmail, () => importActs.importMetadataFromEntra({ tenantId, staffEmail, appId: appId || input.appId })), {
    validator: (args) => v.validateMetadataFetch(state, args),
  });

  setHandler(
    m.tickTestItemUpdate,
    async ({ staffEmail, item, reason }) => {
      const details = { item, reason: reason.trim() };
      const auditId = await acts.auditOnboarding({ action: 'onboarding.test.tick', outcome: 'success', actor: { kind: 'staff', email: staffEmail }, tenantId, details });
      recordEvidence(state.checklist, { item, at: new Date().toISOString(), auditEventIds: [auditId], staff: { email: staffEmail, reason: details.reason }, summary: `Ticked by staff: ${details.reason}` });
      note(state, `Test item ${item} ticked by staff: ${details.reason}`, staffEmail);
      showDetails(state);
      return state.checklist;
    },
    { validator: (args) => v.validateTick(state, args) },
  );

  setHandler(m.nominateDomainUpdate, async ({ staffEmail, domain }) => nominate(domain, staffEmail), { validator: (args) => v.validateNominate(state, args) });
  setHandler(
    m.removeDomainUpdate,
    async ({ staffEmail, domain }) => {
      const name = normalizeDomain(domain);
      await busyWith(() => acts.releaseSsoDomain({ tenantId, domain: name, staffEmail }));
      state.domains = state.domains.filter((d) => d !== name);
      note(state, `SSO domain ${name} removed`, staffEmail);
      showDetails(state);
      return state.domains;
    },
    { validator: (args) => v.validateRemove(state, args) },
  );

  setHandler(
    m.approveGoLiveUpdate,
    async ({ staffEmail, overrideReason }) => {
      const missing = missingMandatory(state.checklist);
      state.goLive = { approvedBy: staffEmail, at: new Date().toISOString(), missingAtApproval: missing, ...(overrideReason ? { overrideReason } : {}) };
      await acts.auditOnboarding({ action: 'onboarding.go-live.approve', outcome: 'success', actor: { kind: 'staff', email: staffEmail }, tenantId, details: { missing, overrideReason } });
      note(state, overrideReason ? `Go-live approved with override (missing: ${missing.join(', ') || 'none'}): ${overrideReason}` : 'Go-live approved', staffEmail);
      await condition(() => state.stage === 'live');
      return state;
    },
    { validator: (args) => v.validateGoLive(state, args) },
  );

  setHandler(
    m.cancelOnboardingUpdate,
    async ({ staffEmail, reason }) => {
      cancelRequest = { by: staffEmail, reason: reason.trim() };
      await condition(() => state.stage === 'cancelled');
      return state;
    },
    { validator: (args) => v.validateCancel(state, args) },
  );

  // ---- The process -----------------------------------------------------------------------
  try {
    upsertSearchAttributes([
      { key: EntraTenantIdKey, value: tenantId },
      { key: OnboardingStageKey, value: 'requested' },
    ]);
    showDetails(state);
    await acts.registerOnboardingTenant({ tenantId, orgName: input.orgName, adminEmails: input.adminEmails, requestedBy: input.requestedBy });

    if ((await obtainConsent(state, isCancelled)) === 'cancelled') return await finishCancelled();

    await enterStage(state, 'configuring', { event: 'Consent granted; importing federation metadata' });
    await importMetadata(undefined, () => importActs.importMetadataFromEntra({ tenantId, appId: input.appId })).catch(() => undefined);
    await condition(() => state.saml !== undefined || isCancelled());
    if (isCancelled()) return await finishCancelled();

    // The proposed domains are claimed as testing begins (a refusal is noted, not fatal).
    for (const domain of input.proposedDomains) await nominate(domain, undefined).catch(() => undefined);
    await enterStage(state, 'testing', { event: 'SAML configured; test period started' });
    while (!state.goLive && !isCancelled()) {
      await condition(() => state.goLive !== undefined || isCancelled() || (state.stage === 'testing' && missingMandatory(state.checklist).length === 0));
      if (state.stage === 'testing' && !state.goLive && !isCancelled()) await enterStage(state, 'awaiting-go-live', { event: 'Every mandatory test item has evidence' });
    }
    if (isCancelled()) return await finishCancelled();

    await condition(() => busy === 0);
    await enterStage(state, 'live', { event: `Live: SSO enforced for ${state.domains.join(', ')}`, by: state.goLive!.approvedBy });
    await acts.sendGoLiveConfirmation({ tenantId, orgName: input.orgName, adminEmails: input.adminEmails, domains: state.domains });
    await condition(allHandlersFinished);
    return state;
  } catch (err) {
    // Cancelled from the Temporal UI/CLI: leave the same clean state as a staff cancellation.
    if (!isCancellation(err)) throw err;
    cancelRequest ??= { by: 'temporal', reason: 'workflow cancelled in Temporal' };
    await CancellationScope.nonCancellable(finishCancelled);
    throw err;
  }

  // ---- Helpers ---------------------------------------------------------------------------
  async function busyWith<T>(work: () => Promise<T>): Promise<T> {
    busy++;
    try {
      return await work();
    } catch (err) {
      throw refusal(err);
    } finally {
      busy--;
    }
  }

  async function importMetadata(staffEmail: string | undefined, run: () => Promise<SamlSummary>): Promise<SamlSummary> {
    try {
      state.saml = await busyWith(run);
      state.metadataError = undefined;
      note(state, `Federation metadata imported from ${state.saml.source === 'entra' ? 'Entra' : 'an upload'}: ${state.saml.certificates.length} signing certificate(s)`, staffEmail);
      return state.saml;
    } catch (err) {
      const failure = refusal(err);
      state.metadataError = { type: failure.type ?? 'Error', message: failure.message, at: new Date().toISOString() };
      note(state, `Metadata refused: ${failure.message}`, staffEmail);
      throw failure;
    } finally {
      showDetails(state);
    }
  }

  async function nominate(domain: string, staffEmail: string | undefined): Promise<string[]> {
    try {
      const name = await busyWith(() => acts.claimSsoDomain({ tenantId, domain, staffEmail }));
      if (!state.domains.includes(name)) state.domains.push(name);
      note(state, `SSO domain ${name} nominated`, staffEmail);
      return state.domains;
    } catch (err) {
      note(state, `SSO domain ${domain} refused: ${(err as Error).message}`, staffEmail);
      throw err;
    } finally {
      showDetails(state);
    }
  }

  async function finishCancelled(): Promise<OnboardingState> {
    const { by, reason } = cancelRequest!;
    await condition(() => busy === 0);
    const released = await acts.releaseAllSsoDomains({ tenantId, staffEmail: by });
    state.domains = [];
    state.cancelled = { by, reason, at: new Date().toISOString() };
    await acts.auditOnboarding({ action: 'onboarding.cancel', outcome: 'success', actor: { kind: 'staff', email: by }, tenantId, details: { reason, releasedDomains: released } });
    await enterStage(state, 'cancelled', { event: `Cancelled: ${reason}`, by });
    await condition(allHandlersFinished);
    return state;
  }
}
