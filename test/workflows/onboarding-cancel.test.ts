/**
 * Cancelling an onboarding with stubbed activities, by staff or from Temporal: the tenant's
 * domains are released only after in-flight work settles, the cancellation is audited with
 * its reason, the stage ends `cancelled`, and nothing more is sent.
 */
import { expect, test } from 'vitest';
import { WorkflowFailedError, WorkflowUpdateStage } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import * as m from '../../lib/contracts/onboarding-messages';
import {
  DAY,
  grantConsent,
  onboardingSteps,
  reachTesting,
  stageAttribute,
  stagesOf,
  startOnboarding,
  stateWhen,
  STAFF,
} from '../support/onboarding-stubs';
import { rootCause, useTimeSkipping } from '../support/time-skipping';

const server = useTimeSkipping();

const reason = 'Customer chose another provider';

test('staff cancel in testing: an in-flight domain claim settles first, then every domain is released and the reason audited', async () => {
  const log: string[] = [];
  let letClaimFinish!: () => void;
  const claimMayFinish = new Promise<void>((resolve) => (letClaimFinish = resolve));
  const stub = onboardingSteps({
    async claimSsoDomain({ domain }) {
      if (domain === 'late.example') {
        // Held until the cancellation is accepted, then for a second more: a workflow that
        // released the domains without waiting for this claim would do it in that second.
        await claimMayFinish;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      log.push(`claimed ${domain}`);
      return domain;
    },
    releaseAllSsoDomains: () => {
      log.push('released all');
      return ['contoso.example', 'late.example'];
    },
  });
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue);
    const { input } = await reachTesting(handle);
    await expect(handle.executeUpdate(m.cancelOnboardingUpdate, { args: [{ staffEmail: STAFF, reason: 'bye' }] })).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: 'Cancelling: write a reason of at least 10 characters' },
    });

    const nominating = handle.executeUpdate(m.nominateDomainUpdate, { args: [{ staffEmail: STAFF, domain: 'late.example' }] });
    await expect.poll(() => stub.inputsOf('claimSsoDomain').map((c) => c.domain)).toContain('late.example');
    const cancelling = await handle.startUpdate(m.cancelOnboardingUpdate, {
      args: [{ staffEmail: STAFF, reason }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    letClaimFinish();
    const state = await cancelling.result();
    await nominating;

    expect(log).toEqual(['claimed contoso.example', 'claimed late.example', 'released all']);
    expect(stub.inputsOf('releaseAllSsoDomains')).toEqual([{ tenantId: input.tenantId, staffEmail: STAFF }]);
    expect(stub.inputsOf('auditOnboarding')).toContainEqual(
      expect.objectContaining({
        action: 'onboarding.cancel',
        actor: { kind: 'staff', email: STAFF },
        details: { reason, releasedDomains: ['contoso.example', 'late.example'] },
      }),
    );
    expect(state).toMatchObject({ stage: 'cancelled', domains: [], cancelled: { by: STAFF, reason } });
    expect(stagesOf(await handle.result())).toEqual(['requested', 'awaiting-consent', 'configuring', 'testing', 'cancelled']);
    expect(await stageAttribute(handle)).toBe('cancelled');
  });
});

test('cancelled while awaiting consent: the reminders stop and the onboarding ends cancelled', async () => {
  const stub = onboardingSteps();
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue);
    await stateWhen(handle, (s) => s.consent.sentRound === 1);
    await handle.executeUpdate(m.cancelOnboardingUpdate, { args: [{ staffEmail: STAFF, reason }] });
    await server.sleep(30 * DAY);
    expect(stub.inputsOf('sendConsentReminder')).toEqual([]);
    expect(stub.inputsOf('sendConsentExpiredNotice')).toEqual([]);
    expect(stagesOf(await handle.result())).toEqual(['requested', 'awaiting-consent', 'cancelled']);
  });
});

test('cancelled from Temporal while configuring: the same clean, audited state, and the run ends as cancelled', async () => {
  const stub = onboardingSteps({
    importMetadataFromEntra: () => {
      throw ApplicationFailure.create({ type: 'MetadataInvalid', message: 'Entra answered 404', nonRetryable: true });
    },
  });
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue);
    await stateWhen(handle, (s) => s.consent.sentRound === 1);
    await grantConsent(handle);
    const { input } = await stateWhen(handle, (s) => s.metadataError !== undefined);

    await handle.cancel();
    const failure = await handle.result().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(rootCause(failure)).toBeInstanceOf(CancelledFailure);
    expect(stub.inputsOf('releaseAllSsoDomains')).toEqual([{ tenantId: input.tenantId, staffEmail: 'temporal' }]);
    expect(stub.inputsOf('auditOnboarding')).toContainEqual(
      expect.objectContaining({
        action: 'onboarding.cancel',
        details: { reason: 'workflow cancelled in Temporal', releasedDomains: ['contoso.example'] },
      }),
    );
    expect(stub.inputsOf('recordOnboardingStage').at(-1)).toMatchObject({ stage: 'cancelled', by: 'temporal' });
    expect(await stageAttribute(handle)).toBe('cancelled');
  });
});
