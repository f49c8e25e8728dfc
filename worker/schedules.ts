import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../lib/config';
import { SWEEPER_SCHEDULE_ID } from '../lib/contracts/shared';

/** The stalled-migration sweeper, every MIGRATION_SWEEP_INTERVAL; a slow sweep is never doubled. */
export function sweeperSchedule(config: Pick<Config, 'MIGRATION_SWEEP_INTERVAL' | 'TEMPORAL_TASK_QUEUE'>): ScheduleOptions {
  return {
    scheduleId: SWEEPER_SCHEDULE_ID,
    spec: { intervals: [{ every: config.MIGRATION_SWEEP_INTERVAL }] },
    action: { type: 'startWorkflow', workflowType: 'migrationSweeper', taskQueue: config.TEMPORAL_TASK_QUEUE, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1m' },
    memo: { description: 'Restarts user migrations stuck in "migrating" (see workflows/migration-sweeper.ts)' },
  };
}

/**
 * Creates the schedules at worker start, or brings an existing one in line with the current
 * configuration: every worker process may call this at once, and the result is the same.
 */
export async function ensureSchedules(client: Client, config: Pick<Config, 'MIGRATION_SWEEP_INTERVAL' | 'TEMPORAL_TASK_QUEUE'>): Promise<void> {
  const options = sweeperSchedule(config);
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
    }));
  }
}
