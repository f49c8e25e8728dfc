import { describe, expect, test } from 'vitest';
import { WAITING_FOR, type OnboardingState } from '../../lib/contracts/onboarding-state';
import type { OnboardingStage } from '../../lib/contracts/shared';
import { progressSteps } from '../../lib/portal/progress';
import { onboardingInput } from '../support/onboarding-stubs';

/** The portal's stepper from the workflow's state: each stage, for Entra and for another IdP. */
const state = (stage: OnboardingStage, kind?: 'okta'): OnboardingState =>
  ({
    input: onboardingInput(kind ? { connection: { kind } as never } : {}),
    stage,
    waitingFor: WAITING_FOR[stage],
  }) as OnboardingState;

/** Each step as `stage:status[:on whom]`. */
const shown = (s: OnboardingState) => progressSteps(s).map((p) => [p.stage, p.status, p.waitingOn].filter(Boolean).join(':'));

describe('portal progress', () => {
  test.each([
    [
      'requested',
      undefined,
      ['requested:current:us', 'awaiting-consent:todo', 'configuring:todo', 'testing:todo', 'awaiting-go-live:todo', 'live:todo'],
    ],
    [
      'awaiting-consent',
      undefined,
      ['requested:done', 'awaiting-consent:current:them', 'configuring:todo', 'testing:todo', 'awaiting-go-live:todo', 'live:todo'],
    ],
    [
      'consent-expired',
      undefined,
      ['requested:done', 'awaiting-consent:current:us', 'configuring:todo', 'testing:todo', 'awaiting-go-live:todo', 'live:todo'],
    ],
    [
      'configuring',
      undefined,
      ['requested:done', 'awaiting-consent:done', 'configuring:current:us', 'testing:todo', 'awaiting-go-live:todo', 'live:todo'],
    ],
    ['configuring', 'okta', ['requested:done', 'configuring:current:them', 'testing:todo', 'awaiting-go-live:todo', 'live:todo']],
    [
      'testing',
      undefined,
      ['requested:done', 'awaiting-consent:done', 'configuring:done', 'testing:current:them', 'awaiting-go-live:todo', 'live:todo'],
    ],
    ['awaiting-go-live', 'okta', ['requested:done', 'configuring:done', 'testing:done', 'awaiting-go-live:current:us', 'live:todo']],
    [
      'live',
      undefined,
      ['requested:done', 'awaiting-consent:done', 'configuring:done', 'testing:done', 'awaiting-go-live:done', 'live:done'],
    ],
    [
      'cancelled',
      undefined,
      ['requested:todo', 'awaiting-consent:todo', 'configuring:todo', 'testing:todo', 'awaiting-go-live:todo', 'live:todo'],
    ],
  ] as const)('%s (%s)', (stage, kind, expected) => {
    expect(shown(state(stage, kind))).toEqual(expected);
  });

  test('the current step says what it waits for, from the workflow', () => {
    const current = progressSteps(state('testing')).find((p) => p.status === 'current');
    expect(current?.waitingFor).toBe(WAITING_FOR.testing);
  });
});
