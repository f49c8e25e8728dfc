/**
 * A worker process that a test kills with SIGKILL, as a crash would: nothing is flushed and no
 * workflow task is completed on the way out (a graceful `worker.shutdown()` would complete the
 * in-flight task and record its local activities, which hides replay bugs).
 *
 * Runs the real activities, except that every call of the activity named `hangAt` hangs; once
 * `expected` calls hang it prints `REACHED`. With `mailsBeforeHang` instead, its mailer sends
 * that many emails and then hangs on the next (`REACHED`): a crash part-way through an activity
 * that mails. Started by `startDoomedWorker` below.
 */
import { spawn } from 'node:child_process';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { parseConfig } from '../../lib/config';
import { connectDb } from '../../lib/db';
import { createMailer, type Mailer } from '../../lib/mailer';

interface DoomedWorkerOptions {
  env: Record<string, string>;
  bundlePath: string;
  hangAt?: string;
  expected?: number;
  mailsBeforeHang?: number;
}

const hang = () => {
  process.stdout.write('REACHED\n');
  return new Promise<never>(() => undefined);
};

function doomedMailer(mailer: Mailer, sendsBeforeHang: number | undefined): Mailer {
  if (sendsBeforeHang === undefined) return mailer;
  let sent = 0;
  return { send: (email) => (sent++ < sendsBeforeHang ? mailer.send(email) : hang()), close: () => mailer.close() };
}

async function main(opts: DoomedWorkerOptions) {
  const config = parseConfig(opts.env);
  await connectDb(config.MONGO_URL);
  const mailer = doomedMailer(createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM }), opts.mailsBeforeHang);
  const real = createActivities({ config, mailer });
  let arrived = 0;
  const activities = Object.fromEntries(
    Object.entries(real).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        if (name !== opts.hangAt) return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        return ++arrived === opts.expected ? hang() : new Promise(() => undefined);
      },
    ]),
  );
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowBundle: { codePath: opts.bundlePath },
    activities,
  });
  process.stdout.write('READY\n');
  await worker.run();
}

/** Starts the worker process; resolves once it polls. `reached` resolves when `expected` calls hang. */
export async function startDoomedWorker(opts: DoomedWorkerOptions) {
  // Node itself (not the tsx launcher, which would outlive a SIGKILL as a separate process).
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waitFor = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => lines.includes(line) && resolve();
      child.stdout!.on('data', (chunk: Buffer) => {
        lines.push(...chunk.toString().split('\n'));
        check();
      });
      child.once('exit', (code) => reject(new Error(`doomed worker exited (${code}) before ${line}`)));
      check();
    });
  const reached = waitFor('REACHED');
  reached.catch(() => undefined);
  await waitFor('READY');
  return {
    reached,
    kill: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

if (require.main === module) {
  main(JSON.parse(process.argv[2]) as DoomedWorkerOptions).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
