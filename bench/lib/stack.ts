import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import {
  FERRETDB_DATABASE,
  ferretdbPostgresUrl,
  postgresSpec,
  sql,
  prepareCluster,
  prepareFerretdbDatabase,
  waitForPostgres,
} from '../../scripts/lib/postgres';
import { ferretdbSpec, startService, temporalDevServerSpec, waitForPort } from '../../scripts/lib/services';
import { ROOT } from '../../scripts/lib/tools';
import { sleep } from './stats';

/**
 * A benchmark's own services, apart from the shared test services so neither disturbs the
 * other: Temporal dev server (in memory), PostgreSQL (a cluster kept in `.data/<name>` so
 * seeded data survives between runs), FerretDB on it, an SMTP server that accepts and drops
 * mail; then the app's web and worker processes. Everything started is stopped by `stop()`,
 * which also runs on failure, Ctrl-C or SIGTERM: a failed run leaves nothing behind.
 */
export interface Stack {
  temporalAddress: string;
  mongoBase: string;
  smtpUrl: string;
  /** PIDs per role, for CPU accounting (postgres: the postmaster; its backends are its children). */
  pids: Record<string, number[]>;
  /** A statement on FerretDB's PostgreSQL database (e.g. ANALYZE after a bulk load). */
  sql(statement: string): string;
  startApp(
    name: string,
    script: 'web/main.ts' | 'worker/main.ts',
    env: Record<string, string>,
    opts?: { profileDir?: string },
  ): ChildProcess;
  stopApps(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A benchmark drives a whole organisation's sign-ins from one client address, which the SAML
 * rate limits (meant for one address among many) would refuse: lifted for its web processes.
 */
export const ONE_ADDRESS_LOAD = { SAML_RATE_LIMIT_PER_IP: '1000000', SAML_RATE_LIMIT_PER_TENANT: '1000000' };

/** The settings every app process of a benchmark shares: its database on the stack, Temporal, SMTP, its public URL. */
export function appEnv(stack: Stack, opts: { database: string; publicUrl: string; taskQueue?: string }) {
  return {
    NODE_ENV: 'test',
    MONGO_URL: `${stack.mongoBase}/${opts.database}`,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: opts.taskQueue ?? 'entrada-bench',
    SMTP_URL: stack.smtpUrl,
    PUBLIC_BASE_URL: opts.publicUrl,
    WEB_HOST: '127.0.0.1',
  };
}

export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

export async function startStack(name: string): Promise<Stack> {
  const logs = path.join(ROOT, '.data', 'logs');
  fs.mkdirSync(logs, { recursive: true });
  const services: { child: ChildProcess; signal: NodeJS.Signals }[] = [];
  const apps: ChildProcess[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData: (stream, _s, done) => stream.on('end', () => done()).resume(),
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopApps();
    smtp.close();
    for (const { child, signal } of services.reverse()) await exit(child, signal);
  };
  const stopApps = async () => {
    await Promise.all(apps.splice(0).map((c) => exit(c, 'SIGTERM')));
  };
  const onSignal = () => void stop().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const [temporalPort, pgPort, mongoPort, smtpPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const start = async (spec: Parameters<typeof startService>[0]) => {
      const child = startService(spec);
      services.push({ child, signal: spec.stopSignal ?? 'SIGTERM' });
      await waitForPort(spec.port, spec.name, 60_000, child);
      return child;
    };
    await start(temporalDevServerSpec({ port: temporalPort, logFile: `${logs}/${name}-temporal.log` }));
    const cluster = { dir: path.join(ROOT, '.data', name, 'postgres'), port: pgPort };
    prepareCluster(cluster);
    const postgres = await start(postgresSpec(cluster, { logFile: `${logs}/${name}-postgres.log`, scratch: true }));
    await waitForPostgres(pgPort);
    prepareFerretdbDatabase(pgPort);
    const ferret = await start(
      ferretdbSpec({ port: mongoPort, postgresUrl: ferretdbPostgresUrl(pgPort), logFile: `${logs}/${name}-ferretdb.log` }),
    );
    await new Promise<void>((r) => smtp.listen(smtpPort, '127.0.0.1', r));
    return {
      temporalAddress: `127.0.0.1:${temporalPort}`,
      mongoBase: `mongodb://127.0.0.1:${mongoPort}`,
      smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
      pids: { ferretdb: [ferret.pid!], postgres: [postgres.pid!] },
      sql: (statement) => sql(pgPort, FERRETDB_DATABASE, statement),
      startApp(appName, script, env, opts = {}) {
        const args = [...(opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : []), '--import', 'tsx', script];
        const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout?.resume();
        child.stderr?.on('data', (d) => {
          for (const line of String(d).split('\n'))
            if (/\[(WARN|ERROR)\]|Error/.test(line) && !/No workflows registered/.test(line))
              process.stderr.write(`[${appName}] ${line}\n`);
        });
        apps.push(child);
        return child;
      },
      stopApps,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function exit(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => (clearTimeout(killer), resolve()));
    child.kill(signal);
  });
}

/** Waits until `url` answers 2xx. */
export async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(250);
  }
  throw new Error(`${url} did not come up`);
}

/**
 * CPU seconds so far of each role (its processes summed; PostgreSQL with its backends), of the
 * load client (this process: its fetches) and of the cores' idle time: the idle time tells
 * "every core busy" from "one process is the cap".
 */
export function cpuByRole(roles: Record<string, number[]>): Record<string, number> {
  return {
    ...Object.fromEntries(
      Object.entries(roles).map(([role, pids]) => [role, pids.reduce((sum, pid) => sum + cpuSeconds(pid, role === 'postgres'), 0)]),
    ),
    client: cpuSeconds(process.pid),
    idle: machineIdleSeconds(),
  };
}

/** Idle CPU seconds of the whole machine so far, all cores together (/proc/stat). */
function machineIdleSeconds(): number {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  return (Number(fields[4]) + Number(fields[5])) / 100; // idle + iowait, USER_HZ 100
}

/** CPU seconds used so far by a process and, for `withChildren`, its children (PostgreSQL backends). */
export function cpuSeconds(pid: number, withChildren = false): number {
  const stat = (p: number) => fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
  const own = (f: string[]) => (Number(f[11]) + Number(f[12])) / 100; // utime + stime, USER_HZ 100
  let total = own(stat(pid));
  if (withChildren) {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const f = stat(Number(entry));
        if (Number(f[1]) === pid) total += own(f);
      } catch {
        /* gone meanwhile */
      }
    }
  }
  return total;
}
