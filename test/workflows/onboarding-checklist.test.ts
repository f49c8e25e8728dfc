/**
 * Onboarding's test period with stubbed activities: checklist items are ticked by evidence
 * from real events or by staff with a reason; malformed or out-of-period evidence is
 * dropped; once every mandatory item has evidence the onboarding awaits go-live on its own.
 */
import { expect, test } from 'vitest';
import * as m from '../../lib/contracts/onboarding-messages';
import { testEvidenceSignal, type TestEvidence } from '../../lib/contracts/shared';
import {
  evidence,
  onboardingSteps,
  reachTesting,
  stageAttribute,
  startOnboarding,
  stateOf,
  stateWhen,
  STAFF,
  untilStage,
} from '../support/onboarding-stubs';
import { useTimeSkipping } from '../support/time-skipping';

const server = useTimeSkipping();

const ticked = (state: Awaited<ReturnType<typeof stateOf>>) => Object.fromEntries(state.checklist.map((e) => [e.item, e.evidence.length]));

test('evidence and staff ticks fill the checklist; the last mandatory item moves it to awaiting go-live', async () => {
  const stub = onboardingSteps();
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue);
    // Before the test period, evidence does not count.
    await stateWhen(handle, (s) => s.consent.sentRound === 1);
    await handle.signal(testEvidenceSignal, evidence('auto-provisioning'));
    const state = await reachTesting(handle);
    expect(ticked(state)).toEqual({
      'auto-provisioning': 0,
      'account-migration': 0,
      'account-recreation': 0,
      'group-gate': 0,
      'replay-rejected': 0,
      provisioning: 0,
      'mfa-refusal': 0,
      'idp-initiated': 0,
      'certificate-rollover': 0,
    });

    await handle.signal(testEvidenceSignal, evidence('auto-provisioning'));
    const provisioned = await stateWhen(handle, (s) => ticked(s)['auto-provisioning'] === 1);
    expect(provisioned.checklist.find((e) => e.item === 'auto-provisioning')?.evidence).toEqual([evidence('auto-provisioning')]);

    // Malformed evidence is dropped (signals carry no validator).
    const malformed = [
      { ...evidence('account-migration'), item: 'made-up-item' },
      { ...evidence('account-migration'), at: 'yesterday' },
      { ...evidence('account-migration'), auditEventIds: [42] },
      { ...evidence('account-migration'), summary: undefined },
    ] as unknown as TestEvidence[];
    for (const bad of malformed) await handle.signal(testEvidenceSignal, bad);
    await handle.signal(testEvidenceSignal, evidence('group-gate'));
    expect(ticked(await stateWhen(handle, (s) => ticked(s)['group-gate'] === 1))['account-migration']).toBe(0);

    const tick = (item: string, reason: string) =>
      handle.executeUpdate(m.tickTestItemUpdate, { args: [{ staffEmail: STAFF, item: item as never, reason }] });
    await expect(tick('account-migration', 'ok')).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: 'Ticking a test item by hand: write a reason of at least 10 characters' },
    });
    await expect(tick('made-up-item', 'Checked by hand with the customer')).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: 'unknown test item "made-up-item"' },
    });
    const checklist = await tick('account-migration', '  The customer has no password accounts  ');
    expect(checklist.find((e) => e.item === 'account-migration')?.evidence).toEqual([
      expect.objectContaining({
        staff: { email: STAFF, reason: 'The customer has no password accounts' },
        auditEventIds: ['a-onboarding.test.tick'],
      }),
    ]);
    expect(stub.inputsOf('auditOnboarding')).toContainEqual(
      expect.objectContaining({
        action: 'onboarding.test.tick',
        actor: { kind: 'staff', email: STAFF },
        details: { item: 'account-migration', reason: 'The customer has no password accounts' },
      }),
    );
    expect((await stateOf(handle)).stage).toBe('testing');

    await handle.signal(testEvidenceSignal, evidence('account-recreation'));
    const ready = await untilStage(handle, 'awaiting-go-live');
    expect(ready.waitingFor).toBe('staff approval to go live');
    expect(await stageAttribute(handle)).toBe('awaiting-go-live');
    expect(stub.names()).not.toContain('sendGoLiveConfirmation'); // going live still takes staff approval
  });
});
