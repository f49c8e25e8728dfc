/**
 * Continue-as-new for the onboarding. Its history grows with every signal and update (test
 * evidence above all), and Temporal ends a workflow at 51,200 events. Every wait of the main
 * flow also wakes once the history has passed HISTORY_LIMIT events (or Temporal suggests it)
 * and no handler is mid-way, and the workflow continues as a new run carrying its whole state;
 * the new run resumes at the same wait (deadlines are absolute times in the state, so timers
 * keep their schedule) and keeps the search attributes.
 */
import { allHandlersFinished, condition, makeContinueAsNewFunc, workflowInfo } from '@temporalio/workflow';
import { EntraTenantIdKey, OnboardingStageKey } from '../../lib/contracts/shared';
import type { OnboardingState, TenantOnboardingWorkflow } from '../../lib/contracts/onboarding-state';

/** Well below Temporal's limits; a run this long carries ~250 signals. */
export const HISTORY_LIMIT = 1_000;

function historyIsLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > HISTORY_LIMIT;
}

/**
 * Waits until `done()` (true) or the timeout (false), as `condition` does, unless the history
 * grew long first: then the run continues as new from here (and this never returns).
 */
export async function waitFor(state: OnboardingState, done: () => boolean, timeoutMs?: number): Promise<boolean> {
  const rollOver = () => historyIsLong() && allHandlersFinished();
  const woken = () => done() || rollOver();
  const woke = timeoutMs === undefined ? (await condition(woken), true) : await condition(woken, Math.max(1, timeoutMs));
  if (done()) return true;
  if (woke) await continueAsNew(state);
  return false;
}

async function continueAsNew(state: OnboardingState): Promise<never> {
  const next = makeContinueAsNewFunc<TenantOnboardingWorkflow>({
    typedSearchAttributes: [
      { key: EntraTenantIdKey, value: state.input.tenantId },
      { key: OnboardingStageKey, value: state.stage },
    ],
  });
  return next(state.input, state);
}
