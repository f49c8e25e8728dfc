import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { WorkflowFailedError } from '@temporalio/client';
import { AuditEventModel } from '../../lib/models';
import { createTemporalClient } from '../../lib/temporal';
import type { systemCheck } from '../../workflows';
import { parseCommandArgs, UsageError, withDb, type CliCommand } from '../command';

const usage = 'doctor [--notify <email>] [--timeout <seconds>]';

/** Fails the command with a message (exit 1), after the checks that passed were printed. */
export class CheckFailed extends Error {}

export const doctor: CliCommand = {
  usage,
  summary: 'Check the real parts end to end: MongoDB, Temporal, a worker running the systemCheck workflow, SMTP.',
  async run(args, { config, print }) {
    const { values } = parseCommandArgs(args, { notify: { type: 'string' }, timeout: { type: 'string' } }, usage, { min: 0, max: 0 });
    const timeoutS = Number(values.timeout ?? 30);
    if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new UsageError(`--timeout: expected seconds, got "${values.timeout}".`, usage);
    const notify = values.notify ?? config.STAFF_EMAIL;

    await withDb(config, async () => {
      await mongoose.connection.db!.admin().ping();
      print(`ok   MongoDB ${redact(config.MONGO_URL)}`);

      const temporal = await createTemporalClient(config).catch((err) => {
        throw new CheckFailed(`Temporal at ${config.TEMPORAL_ADDRESS} is not reachable: ${err.message}`);
      });
      try {
        await temporal.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE }).catch((err) => {
          throw new CheckFailed(`Temporal namespace "${config.TEMPORAL_NAMESPACE}" is not usable: ${err.message}`);
        });
        print(`ok   Temporal ${config.TEMPORAL_ADDRESS}, namespace ${config.TEMPORAL_NAMESPACE}`);

        const checkId = `doctor-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
        const handle = await temporal.workflow.start<typeof systemCheck>('systemCheck', {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId: `system-check-${checkId}`,
          args: [{ checkId, notify }],
        });
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutS * 1000)));
        const result = await Promise.race([handle.result(), timedOut])
          .finally(() => clearTimeout(timer))
          .catch((err) => {
            throw new CheckFailed(
              `Workflow ${handle.workflowId} failed: ${err instanceof WorkflowFailedError ? (err.cause?.message ?? err.message) : err.message}`,
            );
          });
        if (result === 'timeout') {
          await handle.terminate('doctor gave up waiting').catch(() => undefined);
          throw new CheckFailed(
            `No worker finished workflow ${handle.workflowId} within ${timeoutS}s: is a worker polling task queue "${config.TEMPORAL_TASK_QUEUE}"? (npm run worker)`,
          );
        }
        print(`ok   Worker ran workflow ${handle.workflowId} on task queue ${config.TEMPORAL_TASK_QUEUE}`);
        if (!(await AuditEventModel.exists({ _id: result.auditEventId })))
          throw new CheckFailed(
            `The workflow reported audit event ${result.auditEventId}, but it is not in this database: do the worker and this CLI use the same MONGO_URL?`,
          );
        print(`ok   Audit event ${result.auditEventId} written and read back`);
        print(`ok   Email to ${notify} over SMTP ${result.emailed ? 'sent' : 'already sent earlier (same key)'}`);
      } finally {
        await temporal.connection.close();
      }
    });
    print('All checks passed.');
  },
};

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
