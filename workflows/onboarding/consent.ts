/**
 * The human step: email the customer's admins an admin-consent link, then wait for the
 * callback's signal or a timer. Reminders go out on the way; running out of time is an
 * outcome (`consent-expired`), after which staff may re-issue a fresh link and the same
 * workflow carries on.
 */
import { condition } from '@temporalio/workflow';
import { acts } from './activities';
import { enterStage, note, showDetails } from './stage';
import type { OnboardingState } from '../../lib/contracts/onboarding-state';

export type ConsentOutcome = 'granted' | 'cancelled';
type RoundOutcome = ConsentOutcome | 'reissued' | 'expired';

const iso = (ms: number) => new Date(ms).toISOString();

export async function obtainConsent(state: OnboardingState, isCancelled: () => boolean): Promise<ConsentOutcome> {
  for (;;) {
    const round = state.consent.round;
    const outcome = await consentRound(state, round, isCancelled);
    if (outcome === 'granted' || outcome === 'cancelled') return outcome;
    if (outcome === 'expired') {
      await enterStage(state, 'consent-expired', { event: `Consent link (round ${round}) expired without consent` });
      await acts.sendConsentExpiredNotice({ tenantId: state.input.tenantId, orgName: state.input.orgName, round, expiredAt: state.consent.expiresAt! });
      await condition(() => state.consent.round !== round || isCancelled());
      if (isCancelled()) return 'cancelled';
    }
  }
}

async function consentRound(state: OnboardingState, round: number, isCancelled: () => boolean): Promise<RoundOutcome> {
  const { input, consent } = state;
  const expiresAt = Date.now() + input.consentExpiryMs;
  Object.assign(consent, { expiresAt: iso(expiresAt), remindersSent: 0, nextReminderAt: undefined });
  // The stage is recorded before the email goes out: the callback accepts a link only while
  // the Tenant is awaiting consent.
  if (state.stage !== 'awaiting-consent') await enterStage(state, 'awaiting-consent', { event: "Waiting for the customer's admin consent" });
  const recipients = { tenantId: input.tenantId, orgName: input.orgName, adminEmails: input.adminEmails, round, expiresAt: consent.expiresAt! };
  await acts.sendConsentRequest(recipients);
  consent.sentRound = round;
  note(state, `Consent link emailed to ${input.adminEmails.join(', ')} (round ${round})`);

  const settled = () => consent.grantedAt !== undefined || isCancelled() || consent.round !== round;
  for (let reminder = 1; ; reminder++) {
    const nextAt = Math.min(Date.now() + input.consentReminderIntervalMs, expiresAt);
    consent.nextReminderAt = nextAt < expiresAt ? iso(nextAt) : undefined;
    showDetails(state);
    if (await condition(settled, nextAt - Date.now())) break;
    if (Date.now() >= expiresAt) return 'expired';
    await acts.sendConsentReminder({ ...recipients, reminder });
    consent.remindersSent = reminder;
    note(state, `Reminder ${reminder} emailed (round ${round})`);
  }
  consent.nextReminderAt = undefined;
  if (isCancelled()) return 'cancelled';
  return consent.grantedAt !== undefined ? 'granted' : 'reissued';
}
