/**
 * The user-migration and stalled-migration sweeper workflows' contracts: inputs, statuses and
 * results. Pure definitions: web, activities and the workflows import them.
 */
import { defineUpdate } from '@temporalio/workflow';

export interface MigrateUserInput {
  userId: string;
  tenantId: string;
  /** The Entra identity to link: immutable object ID, NameID and the email Entra sent. */
  objectId: string;
  nameId: string;
  email: string;
}

/** What a user owns or is attached to: migration never moves any of it, and proves that. */
export interface ObjectCounts {
  filesOwned: number;
  filesSharedWith: number;
  hubMemberships: number;
  contacts: number;
  messages: number;
  meetings: number;
}

export const MIGRATION_STATUSES = [
  'starting',
  'marking',
  'counting',
  'linking-identity',
  'disabling-password',
  'revoking-sessions',
  'verifying',
  'activating',
  'notifying',
  'migrated',
] as const;
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

export interface MigrationResult {
  userId: string;
  countsBefore: ObjectCounts;
  countsAfter: ObjectCounts;
  /** One audit event per step, in order (cited as onboarding evidence). */
  auditEventIds: string[];
  completedAt: string;
}

/** The workflow's signature, for typed starts and handles without importing workflow code. */
export type MigrateUserWorkflow = (input: MigrateUserInput) => Promise<MigrationResult>;

/**
 * Answers once the account is an active SSO account, before the user's notice and the
 * onboarding evidence: the signing-in user waits for this (sent with the start, as
 * update-with-start), not for the whole workflow.
 */
export const accountReadyUpdate = defineUpdate<void>('accountReady');

export interface SweepResult {
  /** Accounts in `migrating` past the threshold with no running migration. */
  found: number;
  /** Of those, how many got their migration started again. */
  restarted: number;
}

export const SWEEPER_STATUSES = ['sweeping', 'swept'] as const;
export type SweeperStatus = (typeof SWEEPER_STATUSES)[number];
