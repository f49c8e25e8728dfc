import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { purgeTaskQueue } from '../lib/contracts/shared';

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Pre-built bundle (tests build it once); otherwise workflows are bundled from source. */
  workflowBundle?: WorkflowBundleOption;
}

/**
 * Two workers in one process: the base queue (onboarding, sign-in path, migrations) and the
 * purge queue, so a 10,000-file purge never queues ahead of a login. Scale either by running
 * more worker processes; they are stateless.
 */
export async function createWorkers(setup: WorkerSetup): Promise<Worker[]> {
  const activities = createActivities(setup.deps);
  const workflowSource = setup.workflowBundle
    ? { workflowBundle: setup.workflowBundle }
    : { workflowsPath: require.resolve('../workflows') };
  const common = { connection: setup.connection, namespace: setup.namespace, activities };
  return Promise.all([
    Worker.create({ ...common, ...workflowSource, taskQueue: setup.taskQueue }),
    Worker.create({ ...common, taskQueue: purgeTaskQueue(setup.taskQueue), maxConcurrentActivityTaskExecutions: 4 }),
  ]);
}

export async function runWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.run()));
}
