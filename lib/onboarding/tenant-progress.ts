/**
 * What the tenant list shows beyond the stage: checklist progress (which tenancy is ready for
 * go-live) and the consent status, which stays visible once consent is granted.
 */
import type { Client } from '@temporalio/client';
import type { Tenant } from '../models';
import { onboardingStateQuery } from '../contracts/onboarding-messages';
import { onboardingWorkflowId, type OnboardingStage } from '../contracts/shared';

export interface ChecklistProgress {
  /** Mandatory items with evidence, of all mandatory items. */
  mandatoryDone: number;
  mandatory: number;
  /** Optional items with evidence. */
  optionalDone: number;
}

export type ConsentStatus =
  | { status: 'granted'; at: string }
  | { status: 'awaiting'; round: number; expiresAt?: string }
  | { status: 'expired'; expiresAt?: string }
  | { status: 'none' };

/** Only these stages have a checklist worth a query. */
const CHECKLIST_STAGES: OnboardingStage[] = ['testing', 'awaiting-go-live'];
/** Queries in flight at once: a long list must not flood the worker. */
const CONCURRENCY = 8;

export function consentStatus(t: Tenant | undefined, stage: OnboardingStage): ConsentStatus {
  if (t?.consentGrantedAt) return { status: 'granted', at: t.consentGrantedAt.toISOString() };
  const request = t?.consentRequest;
  if (stage === 'consent-expired') return { status: 'expired', expiresAt: request?.expiresAt?.toISOString() };
  if (request?.round) return { status: 'awaiting', round: request.round, expiresAt: request.expiresAt?.toISOString() };
  return { status: 'none' };
}

/** Checklist progress for the running onboardings in a testing stage; a state that cannot be read is left out. */
export async function checklistProgress(
  temporal: Client,
  rows: { tenantId: string; stage: OnboardingStage; workflowStatus?: string }[],
): Promise<Map<string, ChecklistProgress>> {
  const wanted = rows.filter((r) => CHECKLIST_STAGES.includes(r.stage) && r.workflowStatus === 'RUNNING');
  const progress = new Map<string, ChecklistProgress>();
  for (let i = 0; i < wanted.length; i += CONCURRENCY) {
    await Promise.all(
      wanted.slice(i, i + CONCURRENCY).map(async ({ tenantId }) => {
        const state = await temporal.workflow
          .getHandle(onboardingWorkflowId(tenantId))
          .query(onboardingStateQuery)
          .catch(() => undefined);
        if (!state) return;
        const done = state.checklist.filter((e) => e.evidence.length > 0);
        progress.set(tenantId, {
          mandatoryDone: done.filter((e) => e.mandatory).length,
          mandatory: state.checklist.filter((e) => e.mandatory).length,
          optionalDone: done.filter((e) => !e.mandatory).length,
        });
      }),
    );
  }
  return progress;
}
