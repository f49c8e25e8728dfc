/**
 * A real worker in its own process (all three queues, real activities), for tests that kill
 * it with SIGKILL mid-batch as a crash would. Prints READY once polling. Started by
 * `startWorkerProcess` below with the test file's configuration.
 */
import { spawn } from 'node:child_process';
import { NativeConnection } from '@temporalio/worker';
import { parseConfig } from '../../lib/config';
import { connectDb } from '../../lib/db';
import { createMailer } from '../../lib/mailer';
import { createWorkers, runWorkers } from '../../worker/workers';

async function main(env: Record<string, string>, bundlePath: string) {
  const config = parseConfig(env);
  await connectDb(config.MONGO_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const workers = await createWorkers({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: { config, mailer: createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM }) },
    workflowBundle: { codePath: bundlePath },
  });
  process.stdout.write('READY\n');
  await runWorkers(workers);
}

export async function startWorkerProcess(env: Record<string, string>, bundlePath: string): Promise<{ kill(): Promise<void> }> {
  // Node itself, not the tsx launcher (which would outlive a SIGKILL as a separate process).
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, JSON.stringify({ env, bundlePath })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((ready, failed) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('READY') && ready());
    child.once('exit', (code) => failed(new Error(`worker process exited (${code}) before it was ready`)));
  });
  return {
    kill: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

if (require.main === module) {
  const { env, bundlePath } = JSON.parse(process.argv[2]) as { env: Record<string, string>; bundlePath: string };
  main(env, bundlePath).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
