/**
 * What web, worker and workflows agree on: stages, task queues, workflow IDs, search
 * attributes and the messages that cross issue boundaries. Pure TypeScript, safe in the
 * workflow bundle. Workflow signatures are imported elsewhere with `import type` only.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineSignal } from '@temporalio/workflow';

// ---- Stages -------------------------------------------------------------------------
export const ONBOARDING_STAGES = [
  'requested',
  'awaiting-consent',
  'consent-expired',
  'configuring',
  'testing',
  'awaiting-go-live',
  'live',
  'cancelled',
] as const;
export type OnboardingStage = (typeof ONBOARDING_STAGES)[number];

// ---- Task queues ----------------------------------------------------------------------
/** Login-path and onboarding work run on the base queue; bulk purges on their own queue. */
export const purgeTaskQueue = (base: string) => `${base}-purge`;

// ---- Workflow and schedule IDs --------------------------------------------------------
export const onboardingWorkflowId = (entraTenantId: string) => `onboard-${entraTenantId.toLowerCase()}`;
export const migrationWorkflowId = (userId: string) => `migrate-user-${userId}`;
export const deletionWorkflowId = (userId: string) => `delete-user-${userId}`;
export const SWEEPER_SCHEDULE_ID = 'stalled-migration-sweeper';
export const EXPIRY_SWEEPER_SCHEDULE_ID = 'expiry-sweeper';

// ---- Search attributes (registered by scripts/provision + the dev server flags) -------
export const EntraTenantIdKey = defineSearchAttributeKey('EntraTenantId', SearchAttributeType.KEYWORD);
export const OnboardingStageKey = defineSearchAttributeKey('OnboardingStage', SearchAttributeType.KEYWORD);
/** User-level workflows (migration, deletion) keep their status here. */
export const EntradaUserIdKey = defineSearchAttributeKey('EntradaUserId', SearchAttributeType.KEYWORD);
export const EntradaStatusKey = defineSearchAttributeKey('EntradaStatus', SearchAttributeType.KEYWORD);
/** Audit streams: events not yet in the workspace, and the age of the oldest of them. */
export const AuditStreamBacklogKey = defineSearchAttributeKey('AuditStreamBacklog', SearchAttributeType.INT);
export const AuditStreamLagSecondsKey = defineSearchAttributeKey('AuditStreamLagSeconds', SearchAttributeType.INT);
/** Every custom search attribute and its type, for registration in a namespace. */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'Int'> = {
  EntraTenantId: 'Keyword',
  OnboardingStage: 'Keyword',
  EntradaUserId: 'Keyword',
  EntradaStatus: 'Keyword',
  AuditStreamBacklog: 'Int',
  AuditStreamLagSeconds: 'Int',
  /** The SSO connection's health (lib/contracts/connection.ts defines its key and values). */
  ConnectionHealth: 'Keyword',
};

// ---- Onboarding test checklist: ticked by real events in SSO, migration and deletion ---
export const TEST_ITEMS = [
  'auto-provisioning',
  'account-migration',
  'account-recreation',
  'group-gate',
  'replay-rejected',
  'provisioning',
  'mfa-refusal',
  'idp-initiated',
  'certificate-rollover',
] as const;
export type TestItem = (typeof TEST_ITEMS)[number];
export const MANDATORY_TEST_ITEMS: readonly TestItem[] = ['auto-provisioning', 'account-migration', 'account-recreation'];
/** The stages in which real events count as test evidence (the test period). */
export const TEST_PERIOD: readonly OnboardingStage[] = ['testing', 'awaiting-go-live'];
/**
 * Evidence kept per checklist item: enough for the report. Reporters claim one of this many
 * slots per tenancy and item before they signal, so the workflow hears of each item at most
 * this many times however many sign-ins happen.
 */
export const EVIDENCE_KEPT_PER_ITEM = 5;

export interface TestEvidence {
  item: TestItem;
  /** The user the event happened to (user ID and email). */
  userId?: string;
  email?: string;
  at: string; // ISO time
  auditEventIds: string[];
  /** Set when staff tick the item by hand instead of a real event. */
  staff?: { email: string; reason: string };
  summary: string;
}
/** Sent by SSO sign-in, migration and deletion when the tenant is in `testing`. */
export const testEvidenceSignal = defineSignal<[TestEvidence]>('testEvidence');
