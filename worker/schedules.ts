import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../lib/config';
import { EXPIRING } from '../lib/expiry';
import { EXPIRY_SWEEPER_SCHEDULE_ID, SWEEPER_SCHEDULE_ID } from '../lib/contracts/shared';

type ScheduleConfig = Pick<Config, 'MIGRATION_SWEEP_INTERVAL' | 'EXPIRY_SWEEP_INTERVAL' | 'TEMPORAL_TASK_QUEUE'>;

/** The stalled-migration sweeper, every MIGRATION_SWEEP_INTERVAL; a slow sweep is never doubled. */
export function sweeperSchedule(config: ScheduleConfig): ScheduleOptions {
  return {
    scheduleId: SWEEPER_SCHEDULE_ID,
    spec: { intervals: [{ every: config.MIGRATION_SWEEP_INTERVAL }] },
    action: { type: 'startWorkflow', workflowType: 'migrationSweeper', taskQueue: config.TEMPORAL_TASK_QUEUE, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1m' },
    memo: { description: 'Restarts user migrations stuck in "migrating" (see workflows/migration-sweeper.ts)' },
  };
}

/** The expiry sweep (lib/expiry.ts), every EXPIRY_SWEEP_INTERVAL, never two at once. */
export function expirySchedule(config: ScheduleConfig): ScheduleOptions {
  return {
    scheduleId: EXPIRY_SWEEPER_SCHEDULE_ID,
    spec: { intervals: [{ every: config.EXPIRY_SWEEP_INTERVAL }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'expirySweeper',
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [EXPIRING.map((e) => e.collection)],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1m' },
    memo: {
      description: 'Deletes expired sessions, claims, SAML request/replay rows and rate-limit hits (see workflows/expiry-sweeper.ts)',
    },
  };
}

/**
 * Creates the schedules at worker start, or brings existing ones in line with the current
 * configuration: every worker process may call this at once, and the result is the same.
 */
export async function ensureSchedules(client: Client, config: ScheduleConfig): Promise<void> {
  for (const options of [sweeperSchedule(config), expirySchedule(config)]) {
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
}
