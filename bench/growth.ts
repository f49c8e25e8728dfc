/**
 * Data-growth benchmark (`npm run bench:growth`), a script, not a test. For each size it seeds
 * a database with the app's own document shapes (scripts/lib/bulk-seed.ts; a re-run adds only
 * what is missing), then measures the full stack on it — web and worker as their own
 * processes, FerretDB on PostgreSQL, Temporal — with raw node-saml measured in the same run:
 *
 *   SSO sign-in (returning users): logins/s closed loop and p50/p99, p50/p99 at half that rate;
 *   first SSO sign-in with migration: p95;   password sign-in: p50;
 *   staff audit search, first page (tenant + action): p50;   stalled-migration sweep: ms;
 *   purge of one user's 10,000 files while every other file stays: files/s.
 *
 * Env: BENCH_SIZES (small; "small,large"), BENCH_N (300), BENCH_CONCURRENCY (8), BENCH_ROUNDS (4),
 * BENCH_MIGRATIONS (40), BENCH_WEB_PROCESSES (1; sign-ins are spread over them as a load
 * balancer would, the other measures use the first). Services are its own
 * (bench/lib/stack.ts); the seeded databases are kept in .data/bench-growth between runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import mongoose, { Types } from 'mongoose';
import { parseConfig } from '../lib/config';
import { connectDb } from '../lib/db';
import { requestUserDeletion } from '../lib/deletion/requests';
import { BLOB_BUCKET, FileModel, UserModel } from '../lib/models';
import { hashPassword } from '../lib/passwords';
import { createTemporalClient } from '../lib/temporal';
import { GROWTH_SIZES, seedFiles, seedId, seededEmail, seededTenantId, seedWorld, type WorldSize } from '../scripts/lib/bulk-seed';
import { ROOT } from '../scripts/lib/tools';
import { legacyUsers, paced, rawBesideFull, setUpSsoTenant } from './lib/sso';
import { passwordSignIn } from './lib/password-sign-in';
import { cpuByRole, freePort, ONE_ADDRESS_LOAD, startStack, type Stack, waitForHttp, appEnv } from './lib/stack';
import { round, summary, timed } from './lib/stats';
import { printTable, type Measured } from './lib/growth-table';
import { runBench } from './lib/run';

const SIZES = (process.env.BENCH_SIZES ?? 'small').split(',') as (keyof typeof GROWTH_SIZES)[];
const N = Number(process.env.BENCH_N ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** Raw node-saml and the full stack alternate over this many slices of the N responses (bench/lib/sso.ts). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const MIGRATIONS = Number(process.env.BENCH_MIGRATIONS ?? 40);
const WEB_PROCESSES = Number(process.env.BENCH_WEB_PROCESSES ?? 1);
const SSO_USERS = 50;
const PASSWORD_SIGN_INS = 40;
const AUDIT_SEARCHES = 20;
const STALLED = 10;
const PURGE_FILES = 10_000;
const PASSWORD = 'growth-bench-password';

async function main() {
  const stack = await startStack('bench-growth');
  try {
    const results: Record<string, Measured> = {};
    for (const size of SIZES) results[size] = await measure(stack, size);
    const report = {
      at: new Date().toISOString(),
      machine: `${os.cpus().length} cores, node ${process.version}`,
      uptime: execSync('uptime').toString().trim(),
      n: N,
      concurrency: CONCURRENCY,
      webProcesses: WEB_PROCESSES,
      results,
    };
    fs.writeFileSync(path.join(ROOT, '.data', `bench-growth-${Date.now()}.json`), JSON.stringify(report, null, 2));
    console.log(`\n${report.machine}; ${WEB_PROCESSES} web process(es); load: ${report.uptime}\n`);
    printTable(results);
  } finally {
    await stack.stop();
  }
}

async function measure(stack: Stack, sizeName: keyof typeof GROWTH_SIZES): Promise<Measured> {
  const size: WorldSize = GROWTH_SIZES[sizeName];
  const run = Date.now().toString(36);
  const origins = (await Promise.all(Array.from({ length: WEB_PROCESSES }, freePort))).map((port) => `http://127.0.0.1:${port}`);
  // Web processes share one PUBLIC_BASE_URL (as behind a load balancer).
  const env = {
    ...appEnv(stack, { database: `growth_${sizeName}`, publicUrl: origins[0], taskQueue: `entrada-${sizeName}` }),
    ...ONE_ADDRESS_LOAD,
    // The schedules must not fire mid-measurement; the sweep is run by hand below.
    MIGRATION_SWEEP_INTERVAL: '24h',
    EXPIRY_SWEEP_INTERVAL: '24h',
  };
  const config = parseConfig(env);
  await connectDb(config.MONGO_URL);
  try {
    return await measureSize(stack, sizeName, { size, run, origins, env, config });
  } finally {
    await mongoose.disconnect();
  }
}

async function measureSize(
  stack: Stack,
  sizeName: string,
  {
    size,
    run,
    origins,
    env,
    config,
  }: { size: WorldSize; run: string; origins: string[]; env: Record<string, string>; config: ReturnType<typeof parseConfig> },
): Promise<Measured> {
  const log = (s: string) => console.log(`[${sizeName}] ${s}`);
  const origin = origins[0];
  /** Sign-in i's web process. */
  const at = (i: number) => origins[i % origins.length];

  // ---- Data ---------------------------------------------------------------------------------
  const passwordHash = await hashPassword(PASSWORD);
  let last = 0;
  const seeded = await timed(() =>
    seedWorld(size, {
      passwordHash,
      progress: (what, done, total) => {
        if (Date.now() - last <= 5_000 && done !== total) return;
        last = Date.now();
        log(`seed ${what} ${done}/${total}`);
      },
    }),
  );
  // A new account each run (a deleted one stays deleted), owning the purge set's files: those a
  // run before purged are seeded again, those an interrupted run left are handed over.
  const victim = new Types.ObjectId();
  await FileModel.updateMany(
    { _id: { $gte: seedId('file', 0, 9), $lte: seedId('file', PURGE_FILES - 1, 9) } },
    { $set: { ownerId: victim } },
  );
  await UserModel.updateOne(
    { _id: victim },
    {
      $set: {
        email: `victim-${sizeName}-${run}@bench.test`,
        kind: 'standard',
        status: 'active',
        sessionVersion: 0,
        resetVersion: 0,
        isStaff: false,
        tenantAdminOf: [],
      },
      $unset: { deletion: 1 },
    },
    { upsert: true },
  );
  await seedFiles(PURGE_FILES, () => ({ ownerId: victim }), { space: 9 });
  await UserModel.updateOne(
    { email: 'staff@bench.test' },
    { $set: { kind: 'standard', status: 'active', isStaff: true, passwordHash, emailConfirmedAt: new Date() } },
    { upsert: true },
  );
  const stalled = Array.from({ length: STALLED }, (_, k) => seedId('user', 2 * k + 1));
  await UserModel.updateMany(
    { _id: { $in: stalled } },
    { $set: { status: 'migrating', 'migration.startedAt': new Date(Date.now() - 3_600_000) } },
  );
  const sso = await setUpSsoTenant(config, `sso-${run}.bench.test`);
  for (let i = 0; i < SSO_USERS; i++) sso.emulated.addUser({ email: `user${i}@${sso.domain}` });
  const legacy = await legacyUsers(sso, MIGRATIONS, passwordHash);
  // What autovacuum would do soon after a bulk load: fresh statistics for the planner.
  stack.sql('ANALYZE');
  log(`seeded in ${Math.round(seeded.ms / 1000)} s`);

  // ---- The app ----------------------------------------------------------------------------------
  const worker = stack.startApp('worker', 'worker/main.ts', env);
  const polling = new Promise<void>((resolve) => worker.stdout?.on('data', (d) => String(d).includes('worker: polling') && resolve()));
  const webs = origins.map((o) =>
    stack.startApp(
      `web:${new URL(o).port}`,
      'web/main.ts',
      { ...env, WEB_PORT: new URL(o).port },
      { profileDir: process.env.BENCH_PROFILE_DIR },
    ),
  );
  await Promise.all([...origins.map((o) => waitForHttp(`${o}/healthz`)), polling]);
  const temporal = await createTemporalClient(config);
  const prepare = async (count: number, offset: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await sso.startLogin(at(i)));
    return { ids, responses: ids.map((id, i) => sso.sign(`user${(offset + i) % SSO_USERS}@${sso.domain}`, id)) };
  };
  try {
    // Warm-up: provisions the SSO users, warms JITs and caches.
    const warm = await prepare(SSO_USERS, 0);
    for (const [i, r] of warm.responses.entries()) await sso.postAcs(at(i), r);

    log('SSO sign-in: raw node-saml, full stack, half rate');
    const batch = await prepare(N, 0);
    const cpu = () => cpuByRole({ web: webs.map((w) => w.pid!), worker: [worker.pid!], ...stack.pids });
    const {
      rawRate: raw,
      full,
      cpuSeconds,
    } = await rawBesideFull(sso, batch, {
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      post: (i) => sso.postAcs(at(i), batch.responses[i]),
      cpu,
    });
    const halfBatch = await prepare(N, 7);
    const half = await paced(N, full.rate / 2, 2 * CONCURRENCY, (i) => sso.postAcs(at(i), halfBatch.responses[i]));

    log('first sign-in with migration');
    const migrations: number[] = [];
    for (const [i, email] of legacy.entries()) migrations.push(await sso.postAcs(at(i), sso.sign(email, await sso.startLogin(at(i)))));

    log('password sign-in');
    // Seeded standard users (odd numbers), none of them touched before.
    const passwords: number[] = [];
    for (let k = 0; k < PASSWORD_SIGN_INS; k++)
      passwords.push((await passwordSignIn(origin, seededEmail(2 * (STALLED + k) + 1, size), PASSWORD)).ms);

    log('staff audit search');
    const staff = await passwordSignIn(origin, 'staff@bench.test', PASSWORD);
    const searches: number[] = [];
    let found = 0;
    for (let i = 0; i < AUDIT_SEARCHES; i++) {
      const { ms, value } = await timed(() =>
        fetch(`${origin}/api/staff/audit?tenant=${seededTenantId(i % size.tenants)}&action=sso.signed-in`, {
          headers: { cookie: staff.cookie, accept: 'application/json' },
        }).then((r) => r.json() as Promise<{ events: unknown[] }>),
      );
      searches.push(ms);
      found = Math.max(found, value.events.length);
    }

    log('stalled-migration sweep');
    const sweep = await timed(() =>
      temporal.workflow.execute('migrationSweeper', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId: `bench-sweep-${run}`, args: [] }),
    );

    log(`purge of ${PURGE_FILES} files`);
    const counts = async () => ({
      files: await FileModel.estimatedDocumentCount(),
      blobs: await mongoose.connection.db!.collection(`${BLOB_BUCKET}.files`).estimatedDocumentCount(),
      chunks: await mongoose.connection.db!.collection(`${BLOB_BUCKET}.chunks`).estimatedDocumentCount(),
    });
    const beforePurge = await counts();
    // Small files are inline (no GridFS documents); any in GridFS have one chunk each (64 bytes).
    const inGridfs = await FileModel.countDocuments({ ownerId: victim, blobId: { $exists: true } });
    const expectedDrop = { files: PURGE_FILES, blobs: inGridfs, chunks: inGridfs };
    const deletion = await timed(async () => {
      const { handle } = await requestUserDeletion(temporal, config.TEMPORAL_TASK_QUEUE, {
        userId: String(victim),
        requestedBy: { kind: 'system', reason: 'growth benchmark' },
      });
      return { result: await handle.result(), purgeMs: await purgeStepMs(handle) };
    });
    const afterPurge = await counts();
    const exact = (Object.keys(afterPurge) as (keyof typeof afterPurge)[]).every((k) => beforePurge[k] - afterPurge[k] === expectedDrop[k]);

    const perLogin = (k: string) => round((cpuSeconds[k] * 1000) / N);
    return {
      seedSeconds: Math.round(seeded.ms / 1000),
      rawPerSecond: round(raw),
      fullPerSecond: round(full.rate),
      full: summary(full.latencies),
      half: summary(half),
      migration: summary(migrations),
      password: summary(passwords),
      auditSearch: { ...summary(searches), events: found },
      sweepMs: Math.round(sweep.ms),
      sweepFound: (sweep.value as { found: number }).found,
      purge: {
        files: deletion.value.result.counts.files,
        workflowMs: Math.round(deletion.ms),
        purgeMs: deletion.value.purgeMs,
        filesPerSecond: Math.round((PURGE_FILES * 1000) / deletion.value.purgeMs),
        exactCounts: exact,
        others: afterPurge.files,
      },
      cpuMsPerLogin: {
        web: perLogin('web'),
        worker: perLogin('worker'),
        ferretdb: perLogin('ferretdb'),
        postgres: perLogin('postgres'),
        client: perLogin('client'),
        idle: perLogin('idle'),
      },
    };
  } finally {
    await UserModel.updateMany({ _id: { $in: stalled } }, { $set: { status: 'active' }, $unset: { migration: 1 } });
    await temporal.connection.close();
    await stack.stopApps();
  }
}

/** The purge step alone: from its activity's scheduling to its completion, in the workflow history. */
async function purgeStepMs(handle: { fetchHistory(): Promise<{ events?: unknown[] | null }> }): Promise<number> {
  type Long = { toNumber(): number; toString(): string };
  type Event = {
    eventId?: Long;
    eventTime?: { seconds?: Long | number; nanos?: number };
    activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
    activityTaskCompletedEventAttributes?: { scheduledEventId?: Long };
  };
  const events = ((await handle.fetchHistory()).events ?? []) as Event[];
  const seconds = (s: Long | number | undefined) => (typeof s === 'number' ? s : (s?.toNumber() ?? 0));
  const ms = (e: Event) => seconds(e.eventTime?.seconds) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'purgeUserFiles');
  const completed = events.find(
    (e) => e.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === scheduled?.eventId?.toString(),
  );
  if (!scheduled || !completed) throw new Error('no purgeUserFiles activity in the deletion history');
  return Math.round(ms(completed) - ms(scheduled));
}

// The services are stopped by then (startStack's stop); exit even if a connection lingers.
runBench(main);
