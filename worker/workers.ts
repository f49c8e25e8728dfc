import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { purgeTaskQueue } from '../lib/contracts/shared';
import { streamTaskQueue } from '../lib/contracts/audit-stream';

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Pre-built bundle (tests build it once); otherwise workflows are bundled from source. */
  workflowBundle?: WorkflowBundleOption;
}

/**
 * Three workers in one process: the base queue (onboarding, sign-in path, migrations), the
 * purge queue, so a 10,000-file purge never queues ahead of a login, and the stream queue (the
 * audit streams' workflows and activities), so a catch-up never does either. Each audit stream
 * holds one stream activity slot while it runs (its rounds wait for new events), hence the
 * larger limit there. Scale any of them by running more worker processes; they are stateless.
 */
export async function createWorkers(setup: WorkerSetup): Promise<Worker[]> {
  const activities = createActivities(setup.deps);
  const workflowBundle = setup.workflowBundle ?? (await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') }));
  const common = { connection: setup.connection, namespace: setup.namespace, activities };
  return Promise.all([
    Worker.create({ ...common, workflowBundle, taskQueue: setup.taskQueue }),
    Worker.create({ ...common, taskQueue: purgeTaskQueue(setup.taskQueue), maxConcurrentActivityTaskExecutions: 4 }),
    Worker.create({ ...common, workflowBundle, taskQueue: streamTaskQueue(setup.taskQueue), maxConcurrentActivityTaskExecutions: 100 }),
  ]);
}

export async function runWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.run()));
}
