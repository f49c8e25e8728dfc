/**
 * The human step: email the customer's admins an admin-consent link, then wait for the
 * callback's signal or a timer. Reminders go out on the way; running out of time is an
 * outcome (`consent-expired`), after which staff may re-issue a fresh link and the same
 * workflow carries on. A run that continued as new mid-step resumes the same round from the
 * state (deadline, reminders sent) instead of mailing a new link.
 */
import { workflowInfo } from '@temporalio/workflow';
import { acts } from './activities';
import { waitFor } from './continue';
import { enterStage, note, showDetails } from './stage';
import type { OnboardingState } from '../../lib/contracts/onboarding-state';

export type ConsentOutcome = 'granted' | 'cancelled';
type RoundOutcome = ConsentOutcome | 'reissued' | 'expired';

const iso = (ms: number) => new Date(ms).toISOString();
/** Email keys and consent links belong to the onboarding, not to one run of it. */
export const onboardingRunId = () => workflowInfo().firstExecutionRunId;

export async function obtainConsent(state: OnboardingState, isCancelled: () => boolean): Promise<ConsentOutcome> {
  for (;;) {
    const round = state.consent.round;
    if (!awaitingReissue(state)) {
      const outcome = await consentRound(state, round, isCancelled);
      if (outcome === 'granted' || outcome === 'cancelled') return outcome;
      if (outcome === 'reissued') continue;
      await enterStage(state, 'consent-expired', { event: `Consent link (round ${round}) expired without consent` });
      await acts.sendConsentExpiredNotice({
        tenantId: state.input.tenantId,
        orgName: state.input.orgName,
        round,
        expiredAt: state.consent.expiresAt!,
        onboardingRunId: onboardingRunId(),
      });
    }
    await waitFor(state, () => state.consent.round !== round || isCancelled());
    if (isCancelled()) return 'cancelled';
  }
}

/** This round's link went out and ran out; staff have not re-issued yet. */
const awaitingReissue = (state: OnboardingState) => state.stage === 'consent-expired' && state.consent.sentRound === state.consent.round;

async function consentRound(state: OnboardingState, round: number, isCancelled: () => boolean): Promise<RoundOutcome> {
  const { input, consent } = state;
  const recipients = () => ({
    tenantId: input.tenantId,
    orgName: input.orgName,
    adminEmails: input.adminEmails,
    round,
    expiresAt: consent.expiresAt!,
    onboardingRunId: onboardingRunId(),
  });
  if (consent.sentRound !== round) {
    Object.assign(consent, { expiresAt: iso(Date.now() + input.consentExpiryMs), remindersSent: 0, nextReminderAt: undefined });
    // The stage is recorded before the email goes out: the callback accepts a link only while
    // the Tenant is awaiting consent.
    if (state.stage !== 'awaiting-consent')
      await enterStage(state, 'awaiting-consent', { event: "Waiting for the customer's admin consent" });
    await acts.sendConsentRequest(recipients());
    consent.sentRound = round;
    note(state, `Consent link emailed to ${input.adminEmails.join(', ')} (round ${round})`);
    consent.nextReminderAt = nextReminder(state);
  }

  const expiresAt = Date.parse(consent.expiresAt!);
  const settled = () => consent.grantedAt !== undefined || isCancelled() || consent.round !== round;
  for (;;) {
    showDetails(state);
    const wakeAt = consent.nextReminderAt ? Date.parse(consent.nextReminderAt) : expiresAt;
    if (await waitFor(state, settled, wakeAt - Date.now())) break;
    if (Date.now() >= expiresAt) return 'expired';
    const reminder = consent.remindersSent + 1;
    await acts.sendConsentReminder({ ...recipients(), reminder });
    consent.remindersSent = reminder;
    note(state, `Reminder ${reminder} emailed (round ${round})`);
    consent.nextReminderAt = nextReminder(state);
  }
  consent.nextReminderAt = undefined;
  if (isCancelled()) return 'cancelled';
  return consent.grantedAt !== undefined ? 'granted' : 'reissued';
}

/** The next reminder, one interval from now, unless expiry comes first. */
function nextReminder({ input, consent }: OnboardingState): string | undefined {
  const at = Date.now() + input.consentReminderIntervalMs;
  return at < Date.parse(consent.expiresAt!) ? iso(at) : undefined;
}
