/**
 * The testing-stage checklist: pure functions over the state, used by the workflow's
 * handlers and the go-live validator.
 */
import { EVIDENCE_KEPT_PER_ITEM, MANDATORY_TEST_ITEMS, TEST_ITEMS, type TestEvidence, type TestItem } from './shared';
import type { ChecklistEntry } from './onboarding-state';

export const TEST_ITEM_LABELS: Record<TestItem, string> = {
  'auto-provisioning': 'Auto-provisioning: a new test user signed in by SSO and was provisioned',
  'account-migration': 'Account migration: a standard account in a nominated domain was migrated at its first SSO sign-in',
  'account-recreation': 'Deleted-account recreation: a deleted SSO user signed in again and got a fresh, empty account',
  'group-gate': 'Group gate (optional): a user outside the allowed groups was refused',
  'replay-rejected': 'Replay protection (optional): a replayed assertion was rejected',
  provisioning: 'Provisioning (optional): a SCIM-created user signed in, and a SCIM-deleted user was purged after the quarantine window',
  'mfa-refusal': 'MFA policy (optional): a sign-in without multi-factor authentication was refused',
  'idp-initiated': "IdP-initiated sign-in (optional): a user signed in starting from the organisation's portal (My Apps)",
  'certificate-rollover':
    'Certificate rollover rehearsal (optional): a re-imported signing certificate was staged beside the current one, and a sign-in was verified with it',
};

export const emptyChecklist = (): ChecklistEntry[] =>
  TEST_ITEMS.map((item) => ({ item, mandatory: MANDATORY_TEST_ITEMS.includes(item), evidence: [] }));

export const isTestItem = (value: unknown): value is TestItem => TEST_ITEMS.includes(value as TestItem);

/** Signals carry no validator: malformed evidence is dropped rather than trusted. */
export function isWellFormedEvidence(e: unknown): e is TestEvidence {
  const ev = e as TestEvidence;
  return (
    !!ev &&
    isTestItem(ev.item) &&
    typeof ev.at === 'string' &&
    !Number.isNaN(Date.parse(ev.at)) &&
    Array.isArray(ev.auditEventIds) &&
    ev.auditEventIds.every((id) => typeof id === 'string') &&
    typeof ev.summary === 'string'
  );
}

/** Keeps the evidence unless the item already has enough; true when it was kept (and so is shown). */
export function recordEvidence(checklist: ChecklistEntry[], evidence: TestEvidence): boolean {
  const entry = checklist.find((e) => e.item === evidence.item);
  if (!entry || entry.evidence.length >= EVIDENCE_KEPT_PER_ITEM) return false;
  entry.evidence.push(evidence);
  return true;
}

export const missingMandatory = (checklist: ChecklistEntry[]): TestItem[] =>
  checklist.filter((e) => e.mandatory && e.evidence.length === 0).map((e) => e.item);
