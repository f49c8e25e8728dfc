import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { recordSystemCheck } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 5 },
});

/**
 * End-to-end health check of the real parts: a workflow on Temporal runs an activity that
 * writes to MongoDB and sends an email over SMTP. `npm run cli -- doctor` starts it.
 */
export async function systemCheck(input: { checkId: string; notify: string }): Promise<{ auditEventId: string; emailed: boolean }> {
  return recordSystemCheck(input);
}
