/**
 * Onboarding's consent step with stubbed activities on the time-skipping server: reminders on
 * the interval, expiry as an outcome with a staff notice, re-issued links (after expiry and
 * while waiting), and a grant that moves the onboarding on.
 */
import { expect, test } from 'vitest';
import * as m from '../../lib/contracts/onboarding-messages';
import {
  DAY,
  grantConsent,
  onboardingInput,
  onboardingSteps,
  stageAttribute,
  startOnboarding,
  stateWhen,
  stagesOf,
  STAFF,
  untilStage,
} from '../support/onboarding-stubs';
import { useTimeSkipping } from '../support/time-skipping';

const server = useTimeSkipping();

test('reminders every 3 days, expiry after 10 with a staff notice, then a re-issued link and a grant move it on', async () => {
  const stub = onboardingSteps();
  const input = onboardingInput();
  const reminders = () => stub.inputsOf('sendConsentReminder');
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue, input);
    let state = await stateWhen(handle, (s) => s.consent.sentRound === 1);
    const startedAt = Date.parse(state.stageSince);
    // Emails are keyed by the onboarding's first run, which every continued run shares.
    const { runId: onboardingRunId } = await handle.describe();
    const round1 = {
      tenantId: input.tenantId,
      orgName: 'Contoso',
      adminEmails: ['it@contoso.example'],
      round: 1,
      expiresAt: state.consent.expiresAt!,
      onboardingRunId,
    };
    // Workflow time moves on by an activity's length between the two instants.
    expect(Math.abs(Date.parse(round1.expiresAt) - startedAt - 10 * DAY)).toBeLessThan(60_000);
    expect(stub.inputsOf('sendConsentRequest')).toEqual([round1]);
    expect(await stageAttribute(handle)).toBe('awaiting-consent');

    for (const n of [1, 2, 3]) {
      await server.sleep(3 * DAY);
      await expect.poll(() => reminders().length).toBe(n);
    }
    expect(reminders()).toEqual([1, 2, 3].map((reminder) => ({ ...round1, reminder })));
    state = await stateWhen(handle, (s) => s.consent.remindersSent === 3);
    expect(state.consent.nextReminderAt).toBeUndefined(); // the next stop is expiry, at day 10

    await server.sleep(1 * DAY);
    state = await untilStage(handle, 'consent-expired');
    expect(stub.inputsOf('sendConsentExpiredNotice')).toEqual([
      { tenantId: input.tenantId, orgName: 'Contoso', round: 1, expiredAt: round1.expiresAt, onboardingRunId },
    ]);
    expect(state.waitingFor).toBe('staff to re-issue the consent link');
    expect(await stageAttribute(handle)).toBe('consent-expired');

    // An expired link's grant changes nothing, and nothing more happens on its own.
    await grantConsent(handle, 1);
    await server.sleep(60 * DAY);
    expect(reminders()).toHaveLength(3);
    expect(stub.inputsOf('sendConsentRequest')).toHaveLength(1);
    expect((await untilStage(handle, 'consent-expired')).consent.grantedAt).toBeUndefined();

    await expect(handle.executeUpdate(m.reissueConsentUpdate, { args: [{ staffEmail: 'not an email' }] })).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: 'staff email: "not an email" is not an email address' },
    });
    expect(await handle.executeUpdate(m.reissueConsentUpdate, { args: [{ staffEmail: STAFF }] })).toEqual({ round: 2 });
    expect(stub.inputsOf('auditOnboarding')).toContainEqual(
      expect.objectContaining({ action: 'onboarding.consent.reissue', actor: { kind: 'staff', email: STAFF }, details: { round: 2 } }),
    );
    state = await untilStage(handle, 'awaiting-consent');
    expect(state.consent).toMatchObject({ round: 2, sentRound: 2, remindersSent: 0 });
    expect(stub.inputsOf('sendConsentRequest').map((r) => r.round)).toEqual([1, 2]);

    await grantConsent(handle, 2);
    state = await untilStage(handle, 'testing');
    expect(stagesOf(state)).toEqual(['requested', 'awaiting-consent', 'consent-expired', 'awaiting-consent', 'configuring', 'testing']);
    expect(stub.inputsOf('recordOnboardingStage').find((s) => s.stage === 'configuring')?.consentGrantedAt).toBe(state.consent.grantedAt);
  });
});

test('re-issuing while waiting supersedes the first link: its reminders stop, the new one gets its own', async () => {
  const stub = onboardingSteps();
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue);
    await stateWhen(handle, (s) => s.consent.sentRound === 1);
    await server.sleep(2 * DAY);
    expect(await handle.executeUpdate(m.reissueConsentUpdate, { args: [{ staffEmail: STAFF }] })).toEqual({ round: 2 });

    await server.sleep(1 * DAY + 1_000); // round 1's first reminder would have been due now
    expect(stub.inputsOf('sendConsentReminder')).toEqual([]);
    await server.sleep(2 * DAY);
    await expect.poll(() => stub.inputsOf('sendConsentReminder').map((r) => [r.round, r.reminder])).toEqual([[2, 1]]);
  });
});

test('consent before the first reminder: no reminder is ever sent, and metadata is fetched from Entra', async () => {
  const stub = onboardingSteps();
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue, onboardingInput({ appId: '11111111-2222-3333-4444-555555555555' }));
    await stateWhen(handle, (s) => s.consent.sentRound === 1);
    await grantConsent(handle);
    const state = await untilStage(handle, 'testing');
    await server.sleep(30 * DAY);
    expect(stub.inputsOf('sendConsentReminder')).toEqual([]);
    expect(stub.inputsOf('importMetadataFromEntra')).toEqual([
      { tenantId: state.input.tenantId, appId: '11111111-2222-3333-4444-555555555555' },
    ]);
    expect(state.saml?.source).toBe('entra');
  });
});
