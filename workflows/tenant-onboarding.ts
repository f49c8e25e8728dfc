/**
 * Tenant onboarding, one durable process per Entra tenant (workflow ID `onboard-<tid>`):
 *
 *   requested → awaiting-consent (⇄ consent-expired) → configuring → testing
 *             → awaiting-go-live → live            (cancelled from any stage before go-live)
 *
 * Staff act through validated Updates, the consent callback and the SSO/migration/deletion
 * code through Signals; the query returns the whole state. Every stage change is mirrored to
 * the OnboardingStage search attribute, the Temporal UI's current details and the Tenant.
 * When its history grows long it continues as new with its whole state (onboarding/continue.ts).
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { FailureType } from '../lib/contracts/failures';
import { refuse } from '../lib/contracts/refusal';
import {
  EntraTenantIdKey,
  OnboardingStageKey,
  TEST_PERIOD,
  testEvidenceSignal,
  type OnboardingStage,
  type TestEvidence,
} from '../lib/contracts/shared';
import { acts, importActs } from './onboarding/activities';
import { emptyChecklist, isWellFormedEvidence, missingMandatory, recordEvidence } from '../lib/contracts/onboarding-checklist';
import { obtainConsent, onboardingRunId } from './onboarding/consent';
import { waitFor } from './onboarding/continue';
import { startConnection } from './connection/start';
import * as m from '../lib/contracts/onboarding-messages';
import { enterStage, note, showDetails } from './onboarding/stage';
import { handlerWork } from './onboarding/handler-work';
import { WAITING_FOR, type OnboardingInput, type OnboardingState } from '../lib/contracts/onboarding-state';
import * as v from '../lib/contracts/onboarding-input';

export async function tenantOnboarding(input: OnboardingInput, carried?: OnboardingState): Promise<OnboardingState> {
  const state = carried ?? initialState(input);
  const tenantId = input.tenantId;
  let cancelRequest: { by: string; reason: string } | undefined;
  const isCancelled = () => cancelRequest !== undefined;
  const work = handlerWork(state);

  // ---- Handlers ------------------------------------------------------------------------
  setHandler(m.onboardingStateQuery, () => state);

  setHandler(m.consentGrantedSignal, (grant) => {
    // Any round's link proves the same thing: an admin of this tenant consented.
    if (state.stage !== 'awaiting-consent' || state.consent.grantedAt) return;
    Object.assign(state.consent, { grantedAt: grant.grantedAt, grantAuditEventId: grant.auditEventId });
    note(state, `Admin consent granted (link round ${grant.round})`);
  });

  setHandler(testEvidenceSignal, (evidence: TestEvidence) => {
    if (!TEST_PERIOD.includes(state.stage) || !isWellFormedEvidence(evidence)) {
      log.info('test evidence ignored', { stage: state.stage, item: (evidence as TestEvidence)?.item });
      return;
    }
    // Only evidence that is kept (and so shown) is noted: the state stays small.
    if (!recordEvidence(state.checklist, evidence)) return;
    note(state, `Test evidence: ${evidence.item} — ${evidence.summary}`, evidence.staff?.email ?? evidence.email);
    showDetails(state);
  });

  setHandler(
    m.reissueConsentUpdate,
    async ({ staffEmail }) => {
      const round = ++state.consent.round;
      note(state, `Consent link re-issue requested (round ${round})`, staffEmail);
      await acts.auditOnboarding({
        action: 'onboarding.consent.reissue',
        outcome: 'success',
        actor: { kind: 'staff', email: staffEmail },
        tenantId,
        details: { round },
      });
      await condition(() => state.consent.sentRound >= round || isCancelled());
      return { round };
    },
    { validator: (args) => v.validateReissue(state, args) },
  );

  const template = input.connection;
  setHandler(
    m.uploadMetadataUpdate,
    ({ staffEmail, adminUserId, xml }) =>
      work.importMetadata(staffEmail, () =>
        template
          ? importActs.importIdpMetadataXml({ tenantId, staffEmail, adminUserId, template, xml })
          : importActs.importMetadataXml({ tenantId, staffEmail, adminUserId, xml }),
      ),
    {
      validator: (args) => v.validateMetadataUpload(state, args),
    },
  );
  setHandler(
    m.fetchMetadataUpdate,
    ({ staffEmail, adminUserId, appId }) =>
      work.importMetadata(staffEmail, () =>
        importActs.importMetadataFromEntra({ tenantId, staffEmail, adminUserId, appId: appId || input.appId }),
      ),
    {
      validator: (args) => v.validateMetadataFetch(state, args),
    },
  );

  setHandler(
    m.fetchIdpMetadataUpdate,
    ({ staffEmail, adminUserId, url }) =>
      work.importMetadata(staffEmail, () =>
        importActs.importIdpMetadataFromUrl({ tenantId, staffEmail, adminUserId, template: template!, url }),
      ),
    { validator: (args) => v.validateIdpMetadataUrl(state, args) },
  );

  setHandler(
    m.tickTestItemUpdate,
    async ({ staffEmail, item, reason }) => {
      const details = { item, reason: reason.trim() };
      const auditId = await acts.auditOnboarding({
        action: 'onboarding.test.tick',
        outcome: 'success',
        actor: { kind: 'staff', email: staffEmail },
        tenantId,
        details,
      });
      recordEvidence(state.checklist, {
        item,
        at: new Date().toISOString(),
        auditEventIds: [auditId],
        staff: { email: staffEmail, reason: details.reason },
        summary: `Ticked by staff: ${details.reason}`,
      });
      note(state, `Test item ${item} ticked by staff: ${details.reason}`, staffEmail);
      showDetails(state);
      return state.checklist;
    },
    { validator: (args) => v.validateTick(state, args) },
  );

  setHandler(m.nominateDomainUpdate, ({ staffEmail, domain }) => work.nominate(domain, staffEmail), {
    validator: (args) => v.validateNominate(state, args),
  });
  setHandler(m.removeDomainUpdate, ({ staffEmail, domain }) => work.remove(domain, staffEmail), {
    validator: (args) => v.validateRemove(state, args),
  });

  setHandler(
    m.approveGoLiveUpdate,
    async ({ staffEmail, overrideReason }) => {
      const missing = missingMandatory(state.checklist);
      state.goLive = {
        approvedBy: staffEmail,
        at: new Date().toISOString(),
        missingAtApproval: missing,
        ...(overrideReason ? { overrideReason } : {}),
      };
      await acts.auditOnboarding({
        action: 'onboarding.go-live.approve',
        outcome: 'success',
        actor: { kind: 'staff', email: staffEmail },
        tenantId,
        details: { missing, overrideReason },
      });
      note(
        state,
        overrideReason
          ? `Go-live approved with override (missing: ${missing.join(', ') || 'none'}): ${overrideReason}`
          : 'Go-live approved',
        staffEmail,
      );
      await condition(() => state.stage === 'live' || isCancelled());
      if (isCancelled()) throw refuse(FailureType.Conflict, 'the onboarding was cancelled before it went live');
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
  // A run carried over by continue-as-new resumes at the wait where its predecessor stopped.
  try {
    showDetails(state);
    if (!carried) {
      upsertSearchAttributes([
        { key: EntraTenantIdKey, value: tenantId },
        { key: OnboardingStageKey, value: 'requested' },
      ]);
      await acts.registerOnboardingTenant({
        tenantId,
        orgName: input.orgName,
        adminEmails: input.adminEmails,
        requestedBy: input.requestedBy,
        ...(template ? { connection: template } : {}),
      });
    }

    if (template && CONSENT_STAGES.includes(state.stage)) {
      // Not Entra: no admin consent. The metadata exchange is the configuring stage.
      await enterStage(state, 'configuring', {
        event: `Metadata exchange (${template.kind}): our SP metadata is with the customer; waiting for their IdP's metadata`,
      });
      // Onboardings that reached this point on earlier code sent no email; they replay without it.
      if (patched('metadata-exchange-email')) {
        await acts.sendMetadataExchangeRequest({
          tenantId,
          orgName: input.orgName,
          adminEmails: input.adminEmails,
          kind: template.kind === 'okta' ? 'okta' : 'saml',
          onboardingRunId: onboardingRunId(),
        });
      }
    } else if (CONSENT_STAGES.includes(state.stage)) {
      if ((await obtainConsent(state, isCancelled)) === 'cancelled') return await finishCancelled();
      await enterStage(state, 'configuring', { event: 'Consent granted; importing federation metadata' });
      await work
        .importMetadata(undefined, () => importActs.importMetadataFromEntra({ tenantId, appId: input.appId }))
        .catch(() => undefined);
    }
    if (state.stage === 'configuring') {
      await waitFor(state, () => state.saml !== undefined || isCancelled());
      if (isCancelled()) return await finishCancelled();
      // The proposed domains are claimed as testing begins (a refusal is noted, not fatal).
      for (const domain of input.proposedDomains) await work.nominate(domain, undefined).catch(() => undefined);
      await enterStage(state, 'testing', { event: 'SAML configured; test period started' });
    }
    await untilApprovedOrCancelled();
    if (isCancelled()) return await finishCancelled();

    await condition(work.idle);
    await enterStage(state, 'live', { event: `Live: SSO enforced for ${state.domains.join(', ')}`, by: state.goLive!.approvedBy });
    await acts.sendGoLiveConfirmation({
      tenantId,
      orgName: input.orgName,
      adminEmails: input.adminEmails,
      domains: state.domains,
      onboardingRunId: onboardingRunId(),
    });
    // The connection's life after go-live is its own process (workflows/sso-connection.ts).
    // Patched: an onboarding that went live on the code before this step replays without it
    // (the worker's start ensures its connection instead).
    if (patched('sso-connection-at-go-live')) {
      await startConnection(tenantId);
      note(state, 'SSO connection watch started (certificate rollover, expiry warnings)');
    }
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
  /** Testing → awaiting-go-live once every mandatory item has evidence; staff may approve earlier (override). */
  async function untilApprovedOrCancelled(): Promise<void> {
    const decided = () => state.goLive !== undefined || isCancelled();
    await waitFor(state, () => decided() || missingMandatory(state.checklist).length === 0);
    if (!decided() && state.stage === 'testing')
      await enterStage(state, 'awaiting-go-live', { event: 'Every mandatory test item has evidence' });
    await waitFor(state, decided);
  }

  async function finishCancelled(): Promise<OnboardingState> {
    const { by, reason } = cancelRequest!;
    await condition(work.idle);
    const released = await acts.releaseAllSsoDomains({ tenantId, staffEmail: by });
    state.domains = [];
    state.cancelled = { by, reason, at: new Date().toISOString() };
    await acts.auditOnboarding({
      action: 'onboarding.cancel',
      outcome: 'success',
      actor: { kind: 'staff', email: by },
      tenantId,
      details: { reason, releasedDomains: released },
    });
    await enterStage(state, 'cancelled', { event: `Cancelled: ${reason}`, by });
    await condition(allHandlersFinished);
    return state;
  }
}

const CONSENT_STAGES: readonly OnboardingStage[] = ['requested', 'awaiting-consent', 'consent-expired'];

function initialState(input: OnboardingInput): OnboardingState {
  const now = new Date().toISOString();
  return {
    input,
    stage: 'requested',
    stageSince: now,
    waitingFor: WAITING_FOR.requested,
    consent: { round: 1, sentRound: 0, remindersSent: 0 },
    checklist: emptyChecklist(),
    domains: [],
    timeline: [{ at: now, stage: 'requested', event: `Onboarding requested for ${input.orgName}`, by: input.requestedBy }],
  };
}
