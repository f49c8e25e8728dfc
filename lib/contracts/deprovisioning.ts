/**
 * The deprovisioning saga's contract (`deprovisionUser`, ID `deprovision-<userId>`): started
 * by a SCIM DELETE, it suspends the account at once, waits out a quarantine window, re-checks
 * that the directory still wants the user gone, and only then runs `deleteUser` as a child.
 * Pure definitions: web, activities and the workflow import them.
 */
import { ApplicationFailure, defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { FailureType } from './failures';

export const deprovisioningWorkflowId = (userId: string) => `deprovision-${userId}`;

export interface DeprovisionInput {
  tenantId: string;
  userId: string;
  /** The Entra object ID the account is bound to: re-checked before the purge. */
  objectId: string;
  scimId: string;
  email: string;
  /** When the SCIM DELETE arrived (ISO), and the window from the tenancy's settings at that time. */
  requestedAt: string;
  quarantineMs: number;
  /** Set when a long-running saga (a hold lasting months) continued as new: where it was. */
  resume?: DeprovisioningState;
}

export const DEPROVISIONING_STAGES = [
  'suspending',
  'quarantined',
  'rechecking',
  /** A legal hold (tenancy or user) blocks the purge. */
  'held',
  /** The safety valve (or staff) paused the tenancy's purges. */
  'purge-paused',
  'purging',
  'purged',
  'restored',
] as const;
export type DeprovisioningStage = (typeof DEPROVISIONING_STAGES)[number];

export interface DeprovisioningActor {
  kind: 'scim' | 'staff' | 'tenant-admin' | 'system';
  email?: string;
}

export interface DeprovisioningState {
  input: DeprovisionInput;
  stage: DeprovisioningStage;
  /** When the quarantine ends (moved by staff or tenancy admins). */
  purgeAt: string;
  /** Why the purge waits (hold or pause), while it does. */
  blockedBy?: string;
  restored?: { by: DeprovisioningActor; reason: string; at: string };
  deletion?: { workflowId: string; completedAt: string; files: number };
  timeline: { at: string; event: string; by?: string }[];
}

/** What `checkPurge` found at the end of the window. */
export type PurgeVerdict =
  | { verdict: 'purge' }
  /** The directory wants the user back (re-created, active again) or the binding moved: never purge. */
  | { verdict: 'restore'; reason: string }
  | { verdict: 'held'; reason: string }
  | { verdict: 'paused'; reason: string }
  /** Already deleted by another path (staff): nothing left to purge here. */
  | { verdict: 'gone'; reason: string };

export const deprovisioningStateQuery = defineQuery<DeprovisioningState>('deprovisioningState');

export interface QuarantineChange {
  by: DeprovisioningActor;
  reason: string;
  /** The new end of the window (ISO); may be in the past to purge at the next check. */
  purgeAt: string;
}
export const changeQuarantineUpdate = defineUpdate<DeprovisioningState, [QuarantineChange]>('changeQuarantine');

export interface RestoreRequest {
  by: DeprovisioningActor;
  reason: string;
}
/** Accepted until the purge starts; returns once the account is active again. */
export const restoreUpdate = defineUpdate<DeprovisioningState, [RestoreRequest]>('restore');

/**
 * The same request as a signal: recorded in history at once even while no worker runs, so a
 * restore the directory sent is never lost. Used when the update could not be confirmed in
 * time; after the purge started it is noted and ignored.
 */
export const restoreSignal = defineSignal<[RestoreRequest]>('restoreRequested');

/** A hold was lifted or purges resumed: look again now instead of at the next scheduled check. */
export const recheckSignal = defineSignal('recheck');

const MIN_REASON = 5;
const refuse = (type: FailureType, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });
const LATE: DeprovisioningStage[] = ['purging', 'purged', 'restored'];

function reasoned(args: { by?: DeprovisioningActor; reason?: unknown }): void {
  if (!args.by || !['scim', 'staff', 'tenant-admin', 'system'].includes(args.by.kind))
    throw refuse(FailureType.InvalidInput, 'say who acts');
  if (typeof args.reason !== 'string' || args.reason.trim().length < MIN_REASON)
    throw refuse(FailureType.InvalidInput, `give a reason of at least ${MIN_REASON} characters`);
}

export function validateQuarantineChange(state: DeprovisioningState, change: QuarantineChange): void {
  reasoned(change);
  if (typeof change.purgeAt !== 'string' || Number.isNaN(Date.parse(change.purgeAt)))
    throw refuse(FailureType.InvalidInput, `purgeAt must be a date, got ${JSON.stringify(change.purgeAt)}`);
  if (LATE.includes(state.stage)) throw refuse(FailureType.Conflict, `the deprovisioning is already ${state.stage}`);
}

export function validateRestore(state: DeprovisioningState, request: RestoreRequest): void {
  reasoned(request);
  if (LATE.includes(state.stage))
    throw refuse(
      FailureType.Conflict,
      state.stage === 'restored'
        ? 'the account was already restored'
        : `too late to restore: the purge ${state.stage === 'purged' ? 'is done' : 'has started'}`,
    );
}

/** The workflow's signature, for typed starts and handles without importing workflow code. */
export type DeprovisionUserWorkflow = (input: DeprovisionInput) => Promise<DeprovisioningState>;

// ---- Reconciliation (per tenancy, on a Schedule): reports, never deletes ------------------
export const reconcileScheduleId = (tenantId: string) => `scim-reconcile-${tenantId}`;
export const reconcileWorkflowId = (tenantId: string) => `scim-reconcile-${tenantId}`;

export interface ReconcileInput {
  tenantId: string;
}

export interface ReconcileSummary {
  tenantId: string;
  ssoAccounts: number;
  scimUsers: number;
  neverMentioned: number;
  overdueSuspended: number;
  auditEventId: string;
}
