/**
 * migrateUser's steps stubbed (no database): one user's input and counts, each step answering
 * as a real one does. Shared by test/workflows/user-migration.test.ts and the history recorder
 * (test/workflows/histories/record.ts).
 */
import { migrationWorkflowId } from '../../lib/contracts/shared';
import type { ObjectCounts } from '../../lib/contracts/migration';
import { stubActivities, type Stubs } from './stub-activities';

export const migrationInput = {
  userId: 'u-ada',
  tenantId: 'tid-contoso',
  objectId: 'oid-ada',
  nameId: 'ada@contoso.example',
  email: 'ada@contoso.example',
};
export const migrationCounts: ObjectCounts = {
  filesOwned: 3,
  filesSharedWith: 1,
  hubMemberships: 2,
  contacts: 4,
  messages: 5,
  meetings: 1,
};
export const migrationId = migrationWorkflowId(migrationInput.userId);

export const migrationSteps = (overrides: Stubs = {}) =>
  stubActivities({
    markUserMigrating: () => ({ auditEventId: 'a-started' }),
    countMigrationObjects: () => migrationCounts,
    linkMigratedIdentity: () => ({ auditEventId: 'a-linked' }),
    disableMigratedPassword: () => ({ auditEventId: 'a-password' }),
    revokeMigratedSessions: () => ({ auditEventId: 'a-sessions' }),
    verifyMigrationCounts: ({ countsBefore }) => ({ auditEventId: 'a-verified', countsAfter: countsBefore }),
    completeMigration: () => ({ auditEventId: 'a-completed', completedAt: '2026-01-02T03:04:05.000Z' }),
    notifyUserMigrated: () => ({ sent: true }),
    reportMigrationEvidence: () => undefined,
    ...overrides,
  });
