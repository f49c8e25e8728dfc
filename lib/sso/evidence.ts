import type { Client } from '@temporalio/client';
import { reportTestEvidence } from '../onboarding/evidence';
import type { RejectionReason } from '../saml/rejection';
import type { OnboardingStage, TestItem } from '../contracts/shared';

export interface SsoEvidence {
  tenantId: string;
  stage: OnboardingStage;
  item: TestItem;
  userId?: string;
  email?: string;
  auditEventIds: string[];
  summary: string;
}

/** Refusals that prove a checklist item: the gate held, a replay was caught. */
export function evidenceItemFor(reason: RejectionReason): TestItem | undefined {
  if (reason === 'group-not-allowed') return 'group-gate';
  if (reason === 'assertion-replayed' || reason === 'in-response-to-reused') return 'replay-rejected';
  return undefined;
}

/**
 * Tells the tenant's onboarding workflow that a checklist event really happened. Only before
 * go-live; the onboarding workflow decides whether it still counts. Best effort: a sign-in
 * never fails because the checklist could not be told (the audit event stays the record).
 */
export async function reportSsoEvidence(client: Client, e: SsoEvidence): Promise<void> {
  if (e.stage === 'live') return;
  try {
    await reportTestEvidence(client, e.tenantId, {
      item: e.item,
      ...(e.userId ? { userId: e.userId } : {}),
      ...(e.email ? { email: e.email } : {}),
      at: new Date().toISOString(),
      auditEventIds: e.auditEventIds,
      summary: e.summary,
    });
  } catch (err) {
    console.error(`sso: could not report ${e.item} evidence for tenant ${e.tenantId}`, err);
  }
}
