/**
 * SSO sign-in benchmark (`npm run bench:saml`), a script, not a test. Full stack on real parts:
 * FerretDB + Temporal (the test services), the web app and the worker as their own processes
 * (`web/main.ts`, `worker/main.ts`), and the Entra emulator signing Entra-shaped responses.
 *
 *   1. raw:   node-saml `validatePostResponseAsync` on the N responses, one process, in a loop;
 *   2. full:  the same kind of responses POSTed to the real ACS (HTTP, sessions, audit, ...)
 *             by C concurrent clients: logins/s, p50/p99;
 *   3. paced: the ACS at half the measured rate (open loop): p50/p99;
 *   4. first sign-in of M password users, each migrated by the `migrateUser` workflow: p50/p95.
 *
 * Env: BENCH_N (400), BENCH_CONCURRENCY (8), BENCH_MIGRATIONS (40), BENCH_WEB_PROCESSES (1),
 * BENCH_PROFILE_DIR (set: the web process writes a V8 CPU profile there, `node --cpu-prof`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { SAML, type CacheProvider } from '@node-saml/node-saml';
import mongoose from 'mongoose';
import { createEntraEmulator } from '../emulator';
import { parseConfig } from '../lib/config';
import { connectDb } from '../lib/db';
import { claimDomain } from '../lib/sso/domains';
import { TenantModel, UserModel } from '../lib/models';
import { hashPassword } from '../lib/passwords';
import { tenantSamlOptions } from '../lib/saml/sp-options';
import { acsUrl, spEntityId } from '../lib/saml/sp-urls';
import { createTemporalClient } from '../lib/temporal';
import { Inbox } from '../scripts/lib/inbox';
import { ferretdbSpec, startService, waitForPort } from '../scripts/lib/services';
import { ferretdbPostgresUrl } from '../scripts/lib/postgres';
import { ensureTestServices, TEST_PORTS, TEST_TEMPORAL_ADDRESS } from '../scripts/lib/test-services';
import fs from 'node:fs';
import { SWEEPER_SCHEDULE_ID } from '../lib/contracts/shared';

const N = Number(process.env.BENCH_N ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const MIGRATIONS = Number(process.env.BENCH_MIGRATIONS ?? 40);
const WEB_PROCESSES = Number(process.env.BENCH_WEB_PROCESSES ?? 1);
const USERS = 50;
const ROOT = path.resolve(__dirname, '..');

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summary = (latencies: number[]) => {
  const s = [...latencies].sort((a, b) => a - b);
  return { p50: round(pct(s, 50)), p95: round(pct(s, 95)), p99: round(pct(s, 99)) };
};
const round = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds a process has used so far (Linux /proc: utime + stime). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks; USER_HZ is 100 on Linux
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

function startProcess(name: string, script: string, env: Record<string, string>, profileDir?: string): ChildProcess {
  const args = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--import', 'tsx', script];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (d) => /\[(WARN|ERROR)\]|Error/.test(String(d)) && process.stderr.write(`[${name}] ${d}`));
  return child;
}

async function waitForHttp(url: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(250);
  }
  throw new Error(`${url} did not come up`);
}

async function main() {
  const stopServices = await ensureTestServices();
  const id = `bench${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  // Its own FerretDB, so other test runs on the shared one neither slow nor disturb it.
  const mongoPort = await freePort();
  const ferret = startService(ferretdbSpec({ port: mongoPort, postgresUrl: ferretdbPostgresUrl(TEST_PORTS.postgres) }));
  await waitForPort(mongoPort, 'FerretDB', 30_000, ferret);
  const inbox = new Inbox();
  const ports = await Promise.all(Array.from({ length: WEB_PROCESSES }, freePort));
  const baseUrl = `http://127.0.0.1:${ports[0]}`;
  const env = {
    NODE_ENV: 'test',
    MONGO_URL: `mongodb://127.0.0.1:${mongoPort}/${id}`,
    TEMPORAL_ADDRESS: TEST_TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: `entrada-${id}`,
    SMTP_URL: await inbox.start(),
    PUBLIC_BASE_URL: baseUrl,
    WEB_HOST: '127.0.0.1',
  };
  const config = parseConfig(env);
  await connectDb(config.MONGO_URL);
  const temporal = await createTemporalClient(config);

  // The Entra side: a live tenant with USERS SSO users and MIGRATIONS password users.
  const entra = createEntraEmulator();
  const entraServer = await entra.listen(0);
  const t = entra.createTenant({ name: 'Bench' });
  const tid = t.tenantId;
  await TenantModel.create({
    tenantId: tid,
    name: t.name,
    stage: 'live',
    saml: { idpEntityId: t.issuer, ssoUrl: t.ssoUrl(), signing: t.signing, certificates: t.signingCertificates().map((c) => ({ pem: c.certPem, thumbprint: c.thumbprint, notAfter: c.notAfter })) },
  });
  await claimDomain(tid, 'bench.example');
  for (let i = 0; i < USERS; i++) t.addUser({ email: `user${i}@bench.example` });
  const passwordHash = await hashPassword('bench-password-123');
  for (let i = 0; i < MIGRATIONS; i++) {
    t.addUser({ email: `legacy${i}@bench.example` });
    await UserModel.create({ email: `legacy${i}@bench.example`, passwordHash, emailConfirmedAt: new Date() });
  }

  // Web processes share one PUBLIC_BASE_URL (as behind a load balancer); the client spreads requests.
  const worker = startProcess('worker', 'worker/main.ts', env);
  const workerPolling = new Promise<void>((resolve) => worker.stdout?.on('data', (d) => String(d).includes('worker: polling') && resolve()));
  const children: ChildProcess[] = [worker];
  for (const port of ports) children.push(startProcess(`web:${port}`, 'web/main.ts', { ...env, WEB_PORT: String(port) }, process.env.BENCH_PROFILE_DIR));
  await Promise.all([...ports.map((p) => waitForHttp(`http://127.0.0.1:${p}/healthz`)), workerPolling]);
  const origin = (i: number) => `http://127.0.0.1:${ports[i % ports.length]}`;

  /** An AuthnRequest issued by the real login endpoint: its ID, for InResponseTo. */
  const startLogin = async (i: number) => {
    const res = await fetch(`${origin(i)}/saml/${tid}/login`, { redirect: 'manual' });
    const xml = inflateRawSync(Buffer.from(new URL(res.headers.get('location')!).searchParams.get('SAMLRequest')!, 'base64')).toString();
    return /ID="([^"]+)"/.exec(xml)![1];
  };
  const sign = (email: string, inResponseTo: string) => t.issueSamlResponse({ email, inResponseTo, acsUrl: acsUrl(config, tid), audience: spEntityId(config, tid) }).samlResponse;
  const postAcs = async (i: number, samlResponse: string) => {
    const started = performance.now();
    const res = await fetch(`${origin(i)}/saml/${tid}/acs`, {
      method: 'POST',
      body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: '/' }),
      redirect: 'manual',
    });
    const body = await res.text();
    if (res.status === 200) await finishPending(origin(i), body, res.headers.getSetCookie());
    else if (res.status !== 303) throw new Error(`ACS answered ${res.status}`);
    return performance.now() - started;
  };
  /** The "finishing your account upgrade" page: poll its status URL, as its script does. */
  const finishPending = async (base: string, page: string, cookies: string[]) => {
    const status = /var url="([^"]+)"/.exec(page)?.[1];
    if (!status) throw new Error('ACS answered 200 without a progress page');
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    for (;;) {
      const poll = (await (await fetch(`${base}${status}`, { headers: { cookie, accept: 'application/json' } })).json()) as { status: string };
      if (poll.status === 'done') return;
      if (poll.status !== 'pending') throw new Error(`sign-in ended ${JSON.stringify(poll)}`);
    }
  };
  const prepare = async (count: number, offset = 0) => {
    const out: { ids: string[]; responses: string[] } = { ids: [], responses: [] };
    for (let i = 0; i < count; i++) {
      const requestId = await startLogin(i);
      out.ids.push(requestId);
      out.responses.push(sign(`user${(offset + i) % USERS}@bench.example`, requestId));
    }
    return out;
  };

  // Warm-up: provisions every user, warms the JITs and the tenant cache.
  const warm = await prepare(USERS);
  for (let i = 0; i < USERS; i++) await postAcs(i, warm.responses[i]);

  // 1. Raw node-saml on the same responses, with the ACS's exact settings.
  const batch = await prepare(N);
  const tenant = (await TenantModel.findOne({ tenantId: tid }).lean())!;
  const issued = new Map(batch.ids.map((rid) => [rid, new Date().toISOString()]));
  const memoryCache: CacheProvider = {
    saveAsync: async (key, value) => (issued.set(key, value), { value, createdAt: Date.now() }),
    getAsync: async (key) => issued.get(key) ?? null,
    removeAsync: async (key) => key,
  };
  const saml = new SAML({ ...tenantSamlOptions(config, tenant, tenant.saml!.certificates.map((c) => c.pem)), cacheProvider: memoryCache });
  let started = performance.now();
  for (const samlResponse of batch.responses) await saml.validatePostResponseAsync({ SAMLResponse: samlResponse });
  const rawRate = N / ((performance.now() - started) / 1000);

  // 2. Full stack, closed loop with CONCURRENCY clients; CPU used by each process meanwhile.
  const processes = { web: children.slice(1), worker: [worker], ferretdb: [ferret] };
  const cpuOf = () => Object.fromEntries(Object.entries(processes).map(([k, ps]) => [k, ps.reduce((sum, p) => sum + cpuSeconds(p.pid!), 0)]));
  const cpuBefore = cpuOf();
  const latencies: number[] = [];
  let next = 0;
  started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < N; i = next++) latencies.push(await postAcs(i, batch.responses[i]));
    }),
  );
  const fullRate = N / ((performance.now() - started) / 1000);
  const cpuAfter = cpuOf();
  const cpuMsPerLogin = Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, round(((cpuAfter[k] - cpuBefore[k]) * 1000) / N)]));

  // 3. Paced at half that rate: arrivals on a clock, not after answers, but at most
  // 2 × CONCURRENCY in flight (FerretDB's SQLite backend answers SQLITE_BUSY to a pile-up).
  const paced = await prepare(N, 7);
  const interval = 1000 / (fullRate / 2);
  const pacedLatencies: number[] = [];
  let inFlight = 0;
  started = performance.now();
  await Promise.all(
    paced.responses.map(async (r, i) => {
      await sleep(Math.max(0, started + i * interval - performance.now()));
      while (inFlight >= 2 * CONCURRENCY) await sleep(1);
      inFlight++;
      pacedLatencies.push(await postAcs(i, r));
      inFlight--;
    }),
  );

  // 4. First sign-in of password users: the ACS starts migrateUser and waits for it.
  const migrationLatencies: number[] = [];
  for (let i = 0; i < MIGRATIONS; i++) {
    const requestId = await startLogin(i);
    migrationLatencies.push(await postAcs(i, sign(`legacy${i}@bench.example`, requestId)));
  }
  const migrated = await UserModel.countDocuments({ email: /^legacy/, kind: 'sso', status: 'active' });

  const report = {
    machine: `${require('node:os').cpus().length} cores, node ${process.version}`,
    n: N,
    concurrency: CONCURRENCY,
    webProcesses: WEB_PROCESSES,
    rawNodeSamlPerSecond: round(rawRate),
    fullStackLoginsPerSecond: round(fullRate),
    ratio: round(fullRate / rawRate),
    rawNodeSamlCpuMsPerResponse: round(1000 / rawRate),
    fullStackCpuMsPerLogin: cpuMsPerLogin,
    fullStackLatencyMs: summary(latencies),
    halfRateLatencyMs: { rate: round(fullRate / 2), ...summary(pacedLatencies) },
    firstLoginWithMigrationMs: { count: MIGRATIONS, migrated, ...summary(migrationLatencies) },
  };
  console.log(JSON.stringify(report, null, 2));

  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  await temporal.schedule.getHandle(SWEEPER_SCHEDULE_ID).delete().catch(() => undefined);
  await temporal.connection.close();
  await mongoose.connection.dropDatabase();
  await mongoose.disconnect();
  await entraServer.close();
  await inbox.stop();
  ferret.kill('SIGTERM');
  await stopServices();
}

main().catch((err) => {
  console.error('bench: failed', err);
  process.exit(1);
});
