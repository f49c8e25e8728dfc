import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { claimOnce, releaseClaim } from '../claims';
import { findEach } from '../find-each';
import { ClaimModel } from '../models';
import {
  EVIDENCE_KEPT_PER_ITEM,
  onboardingWorkflowId,
  TEST_ITEMS,
  testEvidenceSignal,
  type TestEvidence,
  type TestItem,
} from '../contracts/shared';

const YEAR = 365 * 24 * 60 * 60 * 1000;
const slotKeys = (tenantId: string, item: TestItem) =>
  Array.from({ length: EVIDENCE_KEPT_PER_ITEM }, (_, slot) => `onboarding-evidence:${tenantId.toLowerCase()}:${item}:${slot}`);

export type EvidenceReport = 'reported' | 'already-enough' | 'no-onboarding';

/**
 * Reports a real event (SSO provisioning, migration, account recreation, group-gate refusal,
 * replay rejection) as onboarding test evidence for the tenant.
 *
 * Every sign-in during the test period is such an event, and a signal is ~4 history events,
 * so an item is reported only while one of its few slots is free: the reporter first claims a
 * slot (a unique insert, atomic on FerretDB too), and once all are taken the event is simply
 * not signalled. That keeps the workflow's history bounded whatever the traffic (an attacker
 * replaying one response included).
 *
 * We signal without querying first: a query-then-signal would race with a stage change
 * anyway, so the workflow itself is the one judge. It records evidence only while the
 * tenant is in `testing` or `awaiting-go-live` and ignores it in every other stage. A tenant
 * with no onboarding workflow, or one whose workflow has completed (live, cancelled),
 * is not an error for the caller: the event simply is not test evidence.
 */
export async function reportTestEvidence(client: Client, tenantId: string, evidence: TestEvidence): Promise<EvidenceReport> {
  const slot = await claimSlot(tenantId, evidence.item);
  if (!slot) return 'already-enough';
  try {
    await client.workflow.getHandle(onboardingWorkflowId(tenantId)).signal(testEvidenceSignal, evidence);
    return 'reported';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'no-onboarding';
    // The workflow never heard of it: a later event may take the slot.
    await releaseClaim(slot);
    throw err;
  }
}

/** A new onboarding of the tenant starts with an empty checklist, so its slots are free again. */
export async function forgetTestEvidence(tenantId: string): Promise<void> {
  await Promise.all(TEST_ITEMS.flatMap((item) => slotKeys(tenantId, item)).map((key) => ClaimModel.deleteOne({ key })));
}

/** Indexed look-ups find the free slots (none, in the steady state); racing reporters each win a different one. */
async function claimSlot(tenantId: string, item: TestItem): Promise<string | undefined> {
  const keys = slotKeys(tenantId, item);
  const taken = new Set((await findEach(ClaimModel, 'key', keys, { projection: { key: 1 } })).map((c) => c.key));
  for (const key of keys) {
    if (!taken.has(key) && (await claimOnce(key, YEAR))) return key;
  }
  return undefined;
}
