import { audit } from '../../lib/audit';
import { conflict, notFound } from '../../lib/errors';
import { AuditEventModel, UserModel } from '../../lib/models';
import type { MigrateUserInput, ObjectCounts } from '../../lib/contracts/migration';

export type MigrationStep = MigrateUserInput & { workflowId: string };

/** What a run finds when its own earlier attempt already finished the account's steps. */
export interface CompletedMigration {
  countsBefore: ObjectCounts;
  countsAfter: ObjectCounts;
  completedAt: string;
  /** The audit events of the steps as they happened, cited as evidence. */
  auditEventIds: string[];
}

/**
 * The account's own steps of a migration. Each is one conditional single-document update, so
 * a retry after a crash finds the step done and changes nothing; each audits on every attempt
 * that finds it done (a duplicate event after a crash is better than a missing one).
 */
export function createMigrationAccountActivities() {
  return {
    /**
     * standard+active → migrating (first run), or migrating → migrating (resumed/restarted run).
     * An account this same workflow already completed is reported as such: local activities run
     * inside one workflow task, so a worker killed after the last step but before the task
     * completed makes the next worker replay every step from the start.
     */
    async markUserMigrating(s: MigrationStep): Promise<{ auditEventId: string; completed?: CompletedMigration }> {
      const now = new Date();
      const identity = {
        'migration.workflowId': s.workflowId,
        'migration.objectId': s.objectId,
        'migration.nameId': s.nameId,
        tenantId: s.tenantId,
      };
      const started = await UserModel.updateOne(
        { _id: s.userId, kind: 'standard', status: 'active' },
        { $set: { status: 'migrating', 'migration.startedAt': now, ...identity } },
      );
      if (started.modifiedCount === 0) {
        const resumed = await UserModel.updateOne(
          { _id: s.userId, kind: 'standard', status: 'migrating', tenantId: s.tenantId },
          { $set: identity },
        );
        if (resumed.matchedCount === 0) {
          const user = await UserModel.findById(s.userId, { kind: 1, status: 1, tenantId: 1, migration: 1 }).lean();
          if (user?.kind === 'sso' && user.status === 'active' && user.migration?.workflowId === s.workflowId) {
            return {
              auditEventId: await stepAudit(s, 'resumed', { alreadyCompleted: true }),
              completed: await completedBy(s, user.migration),
            };
          }
          throw user
            ? conflict(
                `User ${s.userId} cannot be migrated to tenant ${s.tenantId}: it is ${user.kind}/${user.status}${user.tenantId ? ` of tenant ${user.tenantId}` : ''}`,
              )
            : notFound(`No user ${s.userId}`);
        }
      }
      return { auditEventId: await stepAudit(s, 'started', { resumed: started.modifiedCount === 0 }) };
    },

    /** Password hash removed and outstanding reset links invalidated, in one update. */
    async disableMigratedPassword(s: MigrationStep) {
      const result = await UserModel.updateOne(
        { _id: s.userId, status: 'migrating', 'migration.passwordDisabledAt': { $exists: false } },
        { $unset: { passwordHash: 1 }, $inc: { resetVersion: 1 }, $set: { 'migration.passwordDisabledAt': new Date() } },
      );
      return { auditEventId: await stepAudit(s, 'password-disabled', { changed: result.modifiedCount === 1 }) };
    },

    /** Every password session of the account ends: sessions carry the version they began with. */
    async revokeMigratedSessions(s: MigrationStep) {
      const result = await UserModel.updateOne(
        { _id: s.userId, status: 'migrating', 'migration.sessionsRevokedAt': { $exists: false } },
        { $inc: { sessionVersion: 1 }, $set: { 'migration.sessionsRevokedAt': new Date() } },
      );
      return { auditEventId: await stepAudit(s, 'sessions-revoked', { changed: result.modifiedCount === 1 }) };
    },

    /** migrating → active, kind sso; its first SSO sign-in is its last sign-in (see linkMigratedIdentity). */
    async completeMigration(s: MigrationStep) {
      const now = new Date();
      // No projection: FerretDB's findAndModify takes none ("fields" is not implemented).
      const user =
        (await UserModel.findOneAndUpdate(
          { _id: s.userId, status: 'migrating' },
          { $set: { status: 'active', kind: 'sso', 'migration.completedAt': now, lastSignInAt: now } },
          { returnDocument: 'after' },
        ).lean()) ?? (await UserModel.findById(s.userId, { kind: 1, status: 1, migration: 1 }).lean()); // a retry: done before
      if (user?.kind !== 'sso' || user.status !== 'active') {
        throw conflict(`User ${s.userId} is ${user?.kind}/${user?.status}, not a completed migration`);
      }
      const completedAt = (user.migration?.completedAt ?? now).toISOString();
      return { auditEventId: await stepAudit(s, 'completed', {}), completedAt };
    },
  };
}

async function completedBy(
  s: MigrationStep,
  m: { countsBefore?: unknown; countsAfter?: unknown; completedAt?: Date | null },
): Promise<CompletedMigration> {
  const steps = await AuditEventModel.find({ 'target.id': s.userId, action: /^user\.migration\./ }, { _id: 1, details: 1 })
    .sort({ at: 1 })
    .lean();
  return {
    countsBefore: m.countsBefore as ObjectCounts,
    countsAfter: m.countsAfter as ObjectCounts,
    completedAt: (m.completedAt ?? new Date()).toISOString(),
    auditEventIds: steps
      .filter((e) => (e.details as { workflowId?: string } | undefined)?.workflowId === s.workflowId)
      .map((e) => String(e._id)),
  };
}

export function stepAudit(s: MigrationStep, step: string, details: Record<string, unknown>): Promise<string> {
  return audit({
    action: `user.migration.${step}`,
    outcome: 'success',
    actor: { kind: 'system' },
    target: { type: 'user', id: s.userId },
    tenantId: s.tenantId,
    details: { workflowId: s.workflowId, objectId: s.objectId, ...details },
  });
}
