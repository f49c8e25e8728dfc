/**
 * Stage changes: one place keeps the state, the OnboardingStage search attribute, the
 * Temporal UI's current details and the Tenant document (read by sign-in) in step.
 */
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { OnboardingStageKey, type OnboardingStage } from '../../lib/contracts/shared';
import { acts } from './activities';
import { missingMandatory } from '../../lib/contracts/onboarding-checklist';
import { WAITING_FOR, type OnboardingState } from '../../lib/contracts/onboarding-state';

/**
 * The Tenant is written first: whoever waits on `state.stage` (an update returning "live" or
 * "cancelled", the consent callback reading Tenant.stage) then sees both agree.
 */
export async function enterStage(state: OnboardingState, stage: OnboardingStage, opts: { event: string; by?: string }): Promise<void> {
  await acts.recordOnboardingStage({
    tenantId: state.input.tenantId,
    stage,
    by: opts.by,
    consentGrantedAt: stage === 'configuring' ? state.consent.grantedAt : undefined,
  });
  Object.assign(state, { stage, stageSince: new Date().toISOString(), waitingFor: WAITING_FOR[stage] });
  note(state, opts.event, opts.by, stage);
  upsertSearchAttributes([{ key: OnboardingStageKey, value: stage }]);
  showDetails(state);
}

export function note(state: OnboardingState, event: string, by?: string, stage?: OnboardingStage): void {
  state.timeline.push({ at: new Date().toISOString(), event, ...(by ? { by } : {}), ...(stage ? { stage } : {}) });
}

/** What people reading the workflow in the Temporal UI see under "Current details". */
export function showDetails(state: OnboardingState): void {
  const lines = [`**Stage:** ${state.stage} since ${state.stageSince}`, `**Waiting for:** ${state.waitingFor}`];
  if (state.stage === 'awaiting-consent') {
    lines.push(`**Consent link:** round ${state.consent.round}, expires ${state.consent.expiresAt ?? '?'}`);
    if (state.consent.nextReminderAt) lines.push(`**Next reminder:** ${state.consent.nextReminderAt}`);
  }
  if (state.stage === 'configuring' && state.metadataError) lines.push(`**Last metadata error:** ${state.metadataError.message}`);
  if (state.stage === 'testing' || state.stage === 'awaiting-go-live') {
    const missing = missingMandatory(state.checklist);
    lines.push(
      `**Mandatory tests missing:** ${missing.length ? missing.join(', ') : 'none'}`,
      `**SSO domains:** ${state.domains.join(', ') || 'none yet'}`,
    );
  }
  setCurrentDetails(lines.join('\n\n'));
}
