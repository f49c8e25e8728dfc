import { Context } from '@temporalio/activity';
import { WorkflowIdConflictPolicy, WorkflowNotFoundError } from '@temporalio/client';
import { audit } from '../../lib/audit';
import { UserModel } from '../../lib/models';
import { EntradaStatusKey, EntradaUserIdKey, migrationWorkflowId } from '../../lib/contracts/shared';
import type { MigrateUserInput } from '../../lib/contracts/migration';
import type { ActivityDeps } from '../deps';

export interface StalledMigration {
  userId: string;
  /** Undefined when the account lacks what a restart needs (reported, never guessed). */
  input?: MigrateUserInput;
}

export function createSweeperActivities({ config }: ActivityDeps) {
  const running = async (userId: string) => {
    try {
      const { status } = await Context.current().client.workflow.getHandle(migrationWorkflowId(userId)).describe();
      return status.name === 'RUNNING';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  };

  return {
    /** Accounts in `migrating` for longer than the threshold whose migration is not running. */
    async findStalledMigrations(): Promise<StalledMigration[]> {
      const before = new Date(Date.now() - config.MIGRATION_STALL_THRESHOLD);
      const users = await UserModel.find(
        { status: 'migrating', $or: [{ 'migration.startedAt': { $lt: before } }, { 'migration.startedAt': { $exists: false } }] },
        { email: 1, tenantId: 1, migration: 1 },
      ).lean();
      const stalled: StalledMigration[] = [];
      for (const u of users) {
        const userId = String(u._id);
        if (await running(userId)) continue;
        const m = u.migration;
        const input =
          u.tenantId && m?.objectId && m.nameId
            ? { userId, tenantId: u.tenantId, objectId: m.objectId, nameId: m.nameId, email: u.email }
            : undefined;
        stalled.push({ userId, ...(input ? { input } : {}) });
      }
      return stalled;
    },

    /** Starts the migration again under the same workflow ID, so there is never a second one. */
    async restartStalledMigration(m: StalledMigration): Promise<{ restarted: boolean }> {
      const sweep = Context.current().info.workflowExecution?.workflowId;
      if (!m.input) {
        await audit({
          action: 'user.migration.restart',
          outcome: 'failure',
          target: { type: 'user', id: m.userId },
          details: { sweep, problem: 'no Entra identity recorded on the account' },
        });
        return { restarted: false };
      }
      if (await running(m.userId)) return { restarted: false };
      const handle = await Context.current().client.workflow.start('migrateUser', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: migrationWorkflowId(m.userId),
        args: [m.input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [
          { key: EntradaUserIdKey, value: m.userId },
          { key: EntradaStatusKey, value: 'starting' },
        ],
      });
      await audit({
        action: 'user.migration.restart',
        outcome: 'success',
        target: { type: 'user', id: m.userId },
        tenantId: m.input.tenantId,
        details: { sweep, workflowId: handle.workflowId, runId: handle.firstExecutionRunId },
      });
      return { restarted: true };
    },
  };
}
