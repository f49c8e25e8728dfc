/**
 * The user-deletion workflow's contract: its input, statuses, progress query, purge-progress
 * signal and result. Pure definitions: web, activities and the workflow import them.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface DeletionRequester {
  kind: 'staff' | 'tenant-admin' | 'self' | 'system';
  userId?: string;
  email?: string;
  reason: string;
}
export interface DeleteUserInput {
  userId: string;
  requestedBy: DeletionRequester;
}

export const DELETION_STATUSES = [
  'deleting',
  'revoking-sessions',
  'purging-files',
  'releasing-hubs',
  'removing-links',
  'tombstoning',
  'notifying',
  'deleted',
] as const;
export type DeletionStatus = (typeof DELETION_STATUSES)[number];

/** Heartbeated by the purge activity, forwarded to the workflow by signal. */
export interface FilePurgeProgress {
  total: number;
  purged: number;
  bytes: number;
}

export interface DeletionCounts {
  files: number;
  bytes: number;
  staffTokens: number;
  hubsTransferred: number;
  hubsLeft: number;
  hubsDeleted: number;
  hubFiles: number;
  sharesRemoved: number;
  contactsRemoved: number;
  messagesRemoved: number;
  meetingsDeleted: number;
  meetingsLeft: number;
  invitesRevoked: number;
  identitiesTombstoned: number;
}

export interface DeletionProgress {
  userId: string;
  status: DeletionStatus;
  requestedBy: DeletionRequester;
  files: FilePurgeProgress;
  counts: Partial<DeletionCounts>;
  completedAt?: string;
}

export interface DeletionResult {
  userId: string;
  counts: DeletionCounts;
  /** One audit event per step, in order: callers cite them (e.g. as onboarding evidence). */
  auditEventIds: string[];
  completedAt: string;
}

export const deletionProgressQuery = defineQuery<DeletionProgress>('deletionProgress');
export const filePurgeProgressSignal = defineSignal<[FilePurgeProgress]>('filePurgeProgress');

/** The workflow's signature, for typed starts and handles without importing workflow code. */
export type DeleteUserWorkflow = (input: DeleteUserInput) => Promise<DeletionResult>;
