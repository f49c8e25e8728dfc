/**
 * Audit stream benchmark (`npm run bench:audit-stream`), a script, not a test. Services of its own
 * (bench/lib/stack.ts: Temporal dev server, FerretDB on PostgreSQL), the worker and web app as
 * their own processes, the Logs Ingestion emulator in this process:
 *
 *   1. catch-up: a backlog of BENCH_BACKLOG events (200,000) of one tenancy, then the stream is
 *      switched on; events/s until the workspace holds every one (CPU per process);
 *   2. steady: BENCH_RATE events/s (200) for BENCH_SECONDS (60) while streaming; lag per event
 *      from its write to its arrival in the workspace: p50/p99/max;
 *   3. sign-in: SSO sign-ins of the tenancy's users (SAML responses from the Entra emulator
 *      POSTed to the ACS; their sign-in events are streamed), one at a time, in blocks with the
 *      stream off and on, alternating: p50 of each and the difference.
 *
 * BENCH_PROFILE_DIR=<dir> writes the worker's V8 CPU profile there.
 */
import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import mongoose from 'mongoose';
import { createLogsIngestionEmulator } from '../emulator/logs-ingestion';
import { audit } from '../lib/audit';
import { STREAM_COLUMNS } from '../lib/audit-stream/columns';
import { saveStreamConfig } from '../lib/audit-stream/config';
import { parseConfig } from '../lib/config';
import { connectDb } from '../lib/db';
import { readHead } from '../lib/audit-chain/heads';
import { readAfter } from '../lib/audit-chain/read';
import { createTemporalClient } from '../lib/temporal';
import { setUpSsoTenant } from './lib/sso';
import { cpuSeconds, freePort, ONE_ADDRESS_LOAD, startStack, waitForHttp, appEnv } from './lib/stack';
import { round, sleep, summary } from './lib/stats';
import { runBench } from './lib/run';

const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 200_000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const SIGN_INS = Number(process.env.BENCH_SIGN_INS ?? 60);
const BLOCKS = 6;
const USERS = 20;
const STREAM = 'Custom-EntradaAudit_CL';
const log = (s: string) => console.log(`[bench:audit-stream] ${s}`);

async function main() {
  const stack = await startStack('bench-stream');
  const monitor = createLogsIngestionEmulator();
  const { url: monitorUrl, close: closeMonitor } = await monitor.listen(await freePort());
  try {
    const webPort = await freePort();
    const origin = `http://127.0.0.1:${webPort}`;
    const env = {
      ...appEnv(stack, { database: `stream_${Date.now().toString(36)}`, publicUrl: origin }),
      WEB_PORT: String(webPort),
      ...ONE_ADDRESS_LOAD,
      LOGS_INGESTION_AUTHORITY_URL: monitorUrl,
      MIGRATION_SWEEP_INTERVAL: '24h',
      EXPIRY_SWEEP_INTERVAL: '24h',
    };
    const config = parseConfig(env);
    await connectDb(config.MONGO_URL);
    const temporal = await createTemporalClient(config);

    // The tenancy (live, SSO through the Entra emulator), its users and its workspace.
    const sso = await setUpSsoTenant(config, 'bench-stream.example');
    const tenantId = sso.tenantId;
    const users = Array.from({ length: USERS }, (_, i) => sso.emulated.addUser({ email: `user${i}@bench-stream.example` }).email);
    const app = { directoryId: tenantId, clientId: randomUUID(), clientSecret: randomUUID() };
    monitor.registerApp(app);
    const dcr = monitor.createDcr({ streams: { [STREAM]: STREAM_COLUMNS.map((c) => ({ ...c })) }, publishers: [app.clientId] }).immutableId;
    const streamConfig = (enabled: boolean) => ({
      endpoint: monitorUrl,
      dcrImmutableId: dcr,
      streamName: STREAM,
      directoryId: tenantId,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      level: 'standard',
      enabled,
    });
    const staff = { kind: 'staff' as const, email: 'bench@entrada.test' };
    const delivered = distinctCounter(monitor);

    // ---- 1. Catch-up ------------------------------------------------------------------------
    log(`seeding ${BACKLOG} events`);
    const seedStart = performance.now();
    for (let done = 0; done < BACKLOG; done += 2000) {
      await Promise.all(Array.from({ length: Math.min(2000, BACKLOG - done) }, (_, i) => audit(benchEvent(tenantId, done + i))));
    }
    const seedRate = BACKLOG / ((performance.now() - seedStart) / 1000);
    log(`seeded at ${Math.round(seedRate)} events/s`);
    stack.sql('ANALYZE');

    const worker = stack.startApp('worker', 'worker/main.ts', env, { profileDir: process.env.BENCH_PROFILE_DIR });
    stack.startApp('web', 'web/main.ts', env);
    await Promise.all([
      waitForHttp(`${origin}/healthz`),
      new Promise<void>((r) => worker.stdout?.on('data', (d) => String(d).includes('worker: polling') && r())),
    ]);
    const cpu = () => ({
      worker: cpuSeconds(worker.pid!),
      ferretdb: cpuSeconds(stack.pids.ferretdb[0]),
      postgres: cpuSeconds(stack.pids.postgres[0], true),
      bench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
    });
    // Everything in the chain, and the configuration's own audit event.
    const total = (await readHead(tenantId)).seq + 1;
    const cpuBefore = cpu();
    const catchStart = performance.now();
    await saveStreamConfig({ config, temporal }, tenantId, streamConfig(true), staff);
    await waitUntil(
      () => delivered() >= total,
      30 * 60_000,
      () => log(`caught up ${delivered()} / ${total}`),
    );
    const catchSeconds = (performance.now() - catchStart) / 1000;
    const cpuAfter = cpu();
    const cpuUsed = Object.fromEntries(
      Object.keys(cpuAfter).map((k) => [k, cpuAfter[k as keyof typeof cpuAfter] - cpuBefore[k as keyof typeof cpuBefore]]),
    );
    const cpuMsPerEvent = (Object.values(cpuUsed).reduce((a, b) => a + b, 0) * 1000) / total;
    const catchUp = {
      events: total,
      seconds: round(catchSeconds),
      perSecond: Math.round(total / catchSeconds),
      cpuSeconds: Object.fromEntries(Object.entries(cpuUsed).map(([k, v]) => [k, round(v)])),
      cpuMicrosecondsPerEvent: Object.fromEntries(Object.entries(cpuUsed).map(([k, v]) => [k, Math.round((v * 1e6) / total)])),
      // What the same work would do with both cores to itself: the rate this machine's load hides.
      ceilingOnTwoIdleCores: Math.round(2000 / cpuMsPerEvent),
    };
    log(`catch-up: ${JSON.stringify(catchUp)}`);

    // ---- 2. Steady ingest ---------------------------------------------------------------------
    log(`steady: ${RATE} events/s for ${SECONDS} s`);
    const written: Promise<string>[] = [];
    const steadyStart = performance.now();
    while (performance.now() - steadyStart < SECONDS * 1000) {
      const due = Math.floor(((performance.now() - steadyStart) / 1000) * RATE);
      while (written.length < due) written.push(audit(benchEvent(tenantId, BACKLOG + written.length)));
      await sleep(20);
    }
    const steadyIds = await Promise.all(written);
    await waitUntil(() => delivered() >= total + steadyIds.length, 5 * 60_000);
    const arrived = new Map(monitor.rows(dcr).map((r) => [String(r.row.EventId), Date.parse(r.receivedAt)] as const));
    const steadyEvents = (await readAfter(tenantId, total, steadyIds.length + 10)).filter((e) => steadyIds.includes(e._id.toHexString()));
    const lags = steadyEvents.map((e) => (arrived.get(e._id.toHexString())! - +e.at) / 1000);
    const steady = {
      events: steadyIds.length,
      rate: round(steadyIds.length / SECONDS),
      lagSeconds: { ...summary(lags), max: round(Math.max(...lags)) },
    };
    log(`steady: ${JSON.stringify(steady)}`);

    // ---- 3. Sign-in with the stream off and on --------------------------------------------------
    const signIns = async () => {
      const ms: number[] = [];
      for (let i = 0; i < SIGN_INS; i++) ms.push(await sso.postAcs(origin, sso.sign(users[i % USERS], await sso.startLogin(origin))));
      return ms;
    };
    await signIns(); // warm-up: provisions the users, warms the JITs and the tenant cache
    const off: number[] = [];
    const on: number[] = [];
    // CPU of the worker and FerretDB per sign-in, with the stream off and on: what the stream adds.
    const blockCpu = { off: { worker: 0, ferretdb: 0 }, on: { worker: 0, ferretdb: 0 } };
    for (let block = 0; block < BLOCKS; block++) {
      const streaming = block % 2 === 1;
      await saveStreamConfig({ config, temporal }, tenantId, { ...streamConfig(streaming), clientSecret: undefined }, staff);
      await sleep(3000); // the workflow has started (or ended)
      const before = cpu();
      (streaming ? on : off).push(...(await signIns()));
      const after = cpu();
      const mode = streaming ? blockCpu.on : blockCpu.off;
      mode.worker += after.worker - before.worker;
      mode.ferretdb += after.ferretdb - before.ferretdb;
      log(`sign-in block ${block + 1}/${BLOCKS} (stream ${streaming ? 'on' : 'off'}) done`);
    }
    const perSignIn = (c: { worker: number; ferretdb: number }, n: number) => ({
      worker: round((c.worker * 1000) / n),
      ferretdb: round((c.ferretdb * 1000) / n),
    });
    const signIn = {
      off: summary(off),
      on: summary(on),
      p50Difference: `${round(((summary(on).p50 - summary(off).p50) / summary(off).p50) * 100)} %`,
      cpuMsPerSignIn: { off: perSignIn(blockCpu.off, off.length), on: perSignIn(blockCpu.on, on.length) },
    };

    const report = {
      at: new Date().toISOString(),
      machine: `${os.cpus().length} cores, node ${process.version}`,
      load: execSync('uptime').toString().trim(),
      seedRate: Math.round(seedRate),
      catchUp,
      steady,
      signIn,
    };
    console.log(JSON.stringify(report, null, 2));
    await temporal.connection.close();
    await stack.stopApps();
    await mongoose.connection.dropDatabase();
    await mongoose.disconnect();
  } finally {
    await closeMonitor();
    await stack.stop();
  }
}

/** What an SSO sign-in writes, more or less (the size of a real row). */
const benchEvent = (tenantId: string, i: number) => ({
  action: 'sso.signed-in',
  outcome: 'success' as const,
  actor: {
    kind: 'user' as const,
    userId: '65f0c0ffee0000000000' + String(i % 10000).padStart(4, '0'),
    email: `user${i % 500}@bench-stream.test`,
  },
  target: { type: 'user', id: '65f0c0ffee0000000000' + String(i % 10000).padStart(4, '0') },
  tenantId,
  ip: `203.0.113.${i % 250}`,
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  details: { objectId: randomUUID(), i },
});

/** Distinct EventIds the workspace holds, counted as rows arrive. */
function distinctCounter(monitor: ReturnType<typeof createLogsIngestionEmulator>): () => number {
  const seen = new Set<string>();
  let read = 0;
  return () => {
    const rows = monitor.rows();
    for (; read < rows.length; read++) seen.add(String(rows[read].row.EventId));
    return seen.size;
  };
}

async function waitUntil(done: () => boolean, timeoutMs: number, progress?: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = Date.now();
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    if (progress && Date.now() - last > 10_000) {
      last = Date.now();
      progress();
    }
    // Not more often: each look filters the emulator's whole list of rows, in this process.
    await sleep(250);
  }
}

runBench(main);
