/**
 * The portal's Progress stepper, derived from the onboarding workflow's query: each step is
 * done, current (waiting on us or on them) or still to come. Pure, so it is tested as a table.
 */
import type { OnboardingState } from '../contracts/onboarding-state';
import type { OnboardingStage } from '../contracts/shared';

export type Party = 'us' | 'them';
export interface ProgressStep {
  stage: OnboardingStage;
  label: string;
  status: 'done' | 'current' | 'todo';
  /** Whose move it is, for the current step. */
  waitingOn?: Party;
  waitingFor?: string;
}

interface StepSpec {
  stage: OnboardingStage;
  label: string;
  waitingOn: (s: OnboardingState) => Party;
}

const entra = (s: OnboardingState) => !s.input.connection;
const STEPS: StepSpec[] = [
  { stage: 'requested', label: 'Onboarding requested', waitingOn: () => 'us' },
  // A lapsed consent link waits for us to send a new one.
  { stage: 'awaiting-consent', label: 'Admin consent', waitingOn: (s) => (s.stage === 'consent-expired' ? 'us' : 'them') },
  // Entra's metadata we fetch ourselves; another IdP's the customer gives us.
  { stage: 'configuring', label: 'Identity provider metadata', waitingOn: (s) => (entra(s) ? 'us' : 'them') },
  { stage: 'testing', label: 'Test sign-ins', waitingOn: () => 'them' },
  { stage: 'awaiting-go-live', label: 'Go-live approval', waitingOn: () => 'us' },
  { stage: 'live', label: 'Live', waitingOn: () => 'us' },
];

/** Where each stage sits in the stepper (an expired consent link is still the consent step). */
const position = (stage: OnboardingStage) => STEPS.findIndex((s) => s.stage === (stage === 'consent-expired' ? 'awaiting-consent' : stage));

export function progressSteps(state: OnboardingState): ProgressStep[] {
  // Admin consent is an Entra step; other IdPs exchange metadata instead.
  const steps = STEPS.filter((s) => s.stage !== 'awaiting-consent' || entra(state));
  const current = position(state.stage);
  return steps.map((spec) => {
    const at = position(spec.stage);
    if (state.stage === 'live' || at < current) return { stage: spec.stage, label: spec.label, status: 'done' };
    if (at > current || state.stage === 'cancelled') return { stage: spec.stage, label: spec.label, status: 'todo' };
    return { stage: spec.stage, label: spec.label, status: 'current', waitingOn: spec.waitingOn(state), waitingFor: state.waitingFor };
  });
}
