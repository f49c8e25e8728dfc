/**
 * Workflow unit tests of tenant onboarding: stubbed activities with plausible answers, the
 * input, and the few moves every test makes (start, read the state, wait for a stage, reach
 * testing). Each test overrides the activity it is about.
 */
import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { tenantOnboarding } from '../../workflows';
import * as m from '../../lib/contracts/onboarding-messages';
import type { OnboardingInput, OnboardingState, SamlSummary } from '../../lib/contracts/onboarding-state';
import { normalizeDomain } from '../../lib/contracts/onboarding-input';
import {
  onboardingWorkflowId,
  OnboardingStageKey,
  type OnboardingStage,
  type TestEvidence,
  type TestItem,
} from '../../lib/contracts/shared';
import { stubActivities, type Stubs } from './stub-activities';

export const DAY = 24 * 3600 * 1000;
export const STAFF = 'sam@entrada.test';
/** A fresh tenant each time: one test's onboarding never collides with the next one's ID. */
export const onboardingInput = (overrides: Partial<OnboardingInput> = {}): OnboardingInput => ({
  tenantId: randomUUID(),
  orgName: 'Contoso',
  adminEmails: ['it@contoso.example'],
  proposedDomains: ['contoso.example'],
  requestedBy: STAFF,
  consentReminderIntervalMs: 3 * DAY,
  consentExpiryMs: 10 * DAY,
  ...overrides,
});

export const samlSummary = (source: SamlSummary['source']): SamlSummary => ({
  idpEntityId: 'https://sts.windows.net/6e89e984-81f7-4e1d-b40b-d638ccf7c2b0/',
  ssoUrl: 'https://login.microsoftonline.com/6e89e984-81f7-4e1d-b40b-d638ccf7c2b0/saml2',
  certificates: [{ thumbprint: 'AB12', subject: 'CN=Microsoft Azure Federated SSO Certificate', notAfter: '2029-01-01T00:00:00.000Z' }],
  expiredCertificates: 0,
  source,
  importedAt: '2026-01-01T00:00:00.000Z',
});

export const onboardingSteps = (overrides: Stubs = {}) =>
  stubActivities({
    registerOnboardingTenant: () => undefined,
    recordOnboardingStage: ({ stage }) => `a-stage-${stage}`,
    auditOnboarding: ({ action }) => `a-${action}`,
    sendConsentRequest: () => ({ sent: true }),
    sendConsentReminder: () => ({ sent: true }),
    sendConsentExpiredNotice: () => ({ sent: true }),
    sendMetadataExchangeRequest: () => ({ sent: true }),
    importMetadataFromEntra: () => samlSummary('entra'),
    importMetadataXml: () => samlSummary('upload'),
    claimSsoDomain: ({ domain }) => normalizeDomain(domain),
    releaseSsoDomain: () => undefined,
    releaseAllSsoDomains: () => ['contoso.example'],
    sendGoLiveConfirmation: () => ({ sent: true }),
    ...overrides,
  });

export type Onboarding = WorkflowHandle<typeof tenantOnboarding>;

export const startOnboarding = (client: Client, taskQueue: string, input = onboardingInput()): Promise<Onboarding> =>
  client.workflow.start<typeof tenantOnboarding>('tenantOnboarding', {
    taskQueue,
    workflowId: onboardingWorkflowId(input.tenantId),
    args: [input],
  });

export const stateOf = (handle: Onboarding): Promise<OnboardingState> => handle.query(m.onboardingStateQuery);

/**
 * Waits until the state passes `check`. Stubbed steps get there in milliseconds; the deadline
 * leaves room for real activities (SMTP, MongoDB) on a loaded machine.
 */
export function stateWhen(handle: Onboarding, check: (s: OnboardingState) => boolean): Promise<OnboardingState> {
  return vi.waitFor(
    async () => {
      const state = await stateOf(handle);
      if (!check(state)) throw new Error(`state never matched; last: ${JSON.stringify(state.timeline.slice(-4))}`);
      return state;
    },
    { timeout: 15_000, interval: 20 },
  );
}
export const untilStage = (handle: Onboarding, stage: OnboardingStage) => stateWhen(handle, (s) => s.stage === stage);

/** The OnboardingStage search attribute, as staff filter on it in the Temporal UI. */
export const stageAttribute = async (handle: Onboarding) => (await handle.describe()).typedSearchAttributes.get(OnboardingStageKey);

/** The stages the timeline went through, in order. */
export const stagesOf = (state: OnboardingState) => state.timeline.flatMap((e) => (e.stage ? [e.stage] : []));

export const grantConsent = (handle: Onboarding, round = 1) =>
  handle.signal(m.consentGrantedSignal, { round, grantedAt: new Date().toISOString(), auditEventId: `a-consent-${round}` });

/** Consent granted, metadata fetched by the stub, proposed domains claimed: the test period. */
export async function reachTesting(handle: Onboarding): Promise<OnboardingState> {
  await stateWhen(handle, (s) => s.consent.sentRound === 1);
  await grantConsent(handle);
  return untilStage(handle, 'testing');
}

export const evidence = (item: TestItem, overrides: Partial<TestEvidence> = {}): TestEvidence => ({
  item,
  userId: `u-${item}`,
  email: `${item}@contoso.example`,
  at: '2026-01-05T10:00:00.000Z',
  auditEventIds: [`a-${item}`],
  summary: `${item} happened for a test user`,
  ...overrides,
});
