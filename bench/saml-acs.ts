/**
 * SSO sign-in benchmark (`npm run bench:saml`), a script, not a test. Full stack on real parts
 * of its own (bench/lib/stack.ts: Temporal, PostgreSQL + FerretDB, an SMTP sink), the web app
 * and the worker as their own processes, and the Entra emulator signing Entra-shaped responses:
 *
 *   1. raw:   node-saml `validatePostResponseAsync` on the N responses, one process, in a loop;
 *   2. full:  the same responses POSTed to the real ACS (HTTP, sessions, audit, ...) by C
 *             concurrent clients: logins/s, p50/p99; raw and full alternate over R slices;
 *   3. paced: the ACS at half the measured rate (open loop): p50/p99;
 *   4. first sign-in of M password users, each migrated by the `migrateUser` workflow: p50/p95;
 *   5. with BENCH_IDP_INITIATED=1, the full stage again with unsolicited responses (IdP-initiated,
 *      as from My Apps: the ACS, then the same-site step it redirects to), beside a second
 *      SP-initiated run, so the two rates are compared in the same conditions; also the CPU each
 *      login costs the web process, FerretDB and PostgreSQL, which a busy machine skews less.
 *
 * `--kind entra|okta|saml` (default entra) picks the connection kind of the bench tenancy; a list
 * (`--kind entra,okta,saml`) runs the phases for the first and then measures every kind's full-stack
 * rate and CPU per login on the same stack, interleaved (two rounds each), so the kinds compare
 * within one run.
 *
 * Env: BENCH_N (400), BENCH_CONCURRENCY (8), BENCH_ROUNDS (4), BENCH_MIGRATIONS (40), BENCH_WEB_PROCESSES (1),
 * BENCH_PROFILE_DIR (set: the web process writes a V8 CPU profile there, `node --cpu-prof`).
 * `npm run bench:growth` measures the same on seeded data of two sizes.
 */
import os from 'node:os';
import mongoose from 'mongoose';
import { parseConfig } from '../lib/config';
import { connectDb } from '../lib/db';
import { TenantModel, UserModel } from '../lib/models';
import { hashPassword } from '../lib/passwords';
import { closedLoop, legacyUsers, paced, rawBesideFull, setUpSsoTenant, type BenchKind, type SsoBench } from './lib/sso';
import { cpuByRole, freePort, ONE_ADDRESS_LOAD, startStack, waitForHttp, appEnv } from './lib/stack';
import { round, round2, summary } from './lib/stats';
import { runBench } from './lib/run';

const N = Number(process.env.BENCH_N ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const MIGRATIONS = Number(process.env.BENCH_MIGRATIONS ?? 40);
const WEB_PROCESSES = Number(process.env.BENCH_WEB_PROCESSES ?? 1);
/** Raw node-saml and the full stack alternate over this many slices of the N responses (bench/lib/sso.ts). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const IDP_INITIATED = process.env.BENCH_IDP_INITIATED === '1';
const USERS = 50;
const KINDS = kindsArg(process.argv.slice(2));

function kindsArg(args: string[]): BenchKind[] {
  const at = args.indexOf('--kind');
  const kinds = (at >= 0 ? (args[at + 1] ?? '') : 'entra').split(',').filter(Boolean);
  const bad = kinds.find((k) => !['entra', 'okta', 'saml'].includes(k));
  if (bad || kinds.length === 0) throw new Error(`--kind takes entra, okta, saml or a list of them, got "${args[at + 1] ?? ''}"`);
  return kinds as BenchKind[];
}

async function main() {
  const stack = await startStack('bench-saml');
  try {
    const ports = await Promise.all(Array.from({ length: WEB_PROCESSES }, freePort));
    const env = {
      ...appEnv(stack, { database: `saml${Date.now().toString(36)}`, publicUrl: `http://127.0.0.1:${ports[0]}` }),
      ...ONE_ADDRESS_LOAD,
    };
    const config = parseConfig(env);
    await connectDb(config.MONGO_URL);
    try {
      // The Entra side: a live tenant with USERS SSO users and MIGRATIONS password users.
      const sso = await setUpSsoTenant(config, 'bench.example', KINDS[0]);
      if (IDP_INITIATED)
        await TenantModel.updateOne({ tenantId: sso.tenantId }, { $set: { allowIdpInitiated: true }, $inc: { configVersion: 1 } });
      for (let i = 0; i < USERS; i++) sso.emulated.addUser({ email: `user${i}@bench.example` });
      const benches = new Map<BenchKind, SsoBench>([[KINDS[0]!, sso]]);
      for (const kind of KINDS.slice(1)) {
        const other = await setUpSsoTenant(config, `${kind}.bench.example`, kind);
        for (let i = 0; i < USERS; i++) other.emulated.addUser({ email: `user${i}@${kind}.bench.example` });
        benches.set(kind, other);
      }
      const legacy = await legacyUsers(sso, MIGRATIONS, await hashPassword('bench-password-123'));

      // Web processes share one PUBLIC_BASE_URL (as behind a load balancer); the client spreads requests.
      const worker = stack.startApp('worker', 'worker/main.ts', env);
      const polling = new Promise<void>((resolve) => worker.stdout?.on('data', (d) => String(d).includes('worker: polling') && resolve()));
      const webs = ports.map((port) =>
        stack.startApp(`web:${port}`, 'web/main.ts', { ...env, WEB_PORT: String(port) }, { profileDir: process.env.BENCH_PROFILE_DIR }),
      );
      await Promise.all([...ports.map((p) => waitForHttp(`http://127.0.0.1:${p}/healthz`)), polling]);
      const origin = (i: number) => `http://127.0.0.1:${ports[i % ports.length]}`;
      const prepareFor = async (bench: SsoBench, count: number, offset = 0) => {
        const ids: string[] = [];
        for (let i = 0; i < count; i++) ids.push(await bench.startLogin(origin(i)));
        const responses: string[] = [];
        for (const [i, id] of ids.entries()) {
          responses.push(bench.sign(`user${(offset + i) % USERS}@${bench.domain}`, id));
          // Signing hundreds in one go held the event loop for seconds under load: the web
          // server closed the idle keep-alive sockets meanwhile, and the next phase's first
          // requests went out on them ("other side closed"). Yielding lets the closes land.
          await new Promise((r) => setImmediate(r));
        }
        return { ids, responses };
      };
      const prepare = (count: number, offset = 0) => prepareFor(sso, count, offset);

      // Warm-up: provisions every user, warms the JITs and the tenant cache.
      for (const bench of benches.values()) {
        const warm = await prepareFor(bench, USERS);
        for (let i = 0; i < USERS; i++) await bench.postAcs(origin(i), warm.responses[i]);
      }

      const batch = await prepare(N);
      const roles = { web: webs.map((w) => w.pid!), worker: [worker.pid!], ...stack.pids };
      const cpuOf = () => cpuByRole(roles);
      const { rawRate, full, cpuSeconds } = await rawBesideFull(sso, batch, {
        rounds: ROUNDS,
        concurrency: CONCURRENCY,
        post: (i) => sso.postAcs(origin(i), batch.responses[i]),
        cpu: cpuOf,
      });

      const halfBatch = await prepare(N, 7);
      const half = await paced(N, full.rate / 2, 2 * CONCURRENCY, (i) => sso.postAcs(origin(i), halfBatch.responses[i]));

      // SP- and IdP-initiated alternately, twice each, so drift in the machine's load hits both alike.
      // Also the CPU each login costs the web process and the database (summed over their
      // processes): on a shared machine the rate follows the neighbours' load, the CPU much less.
      const initiated = { sp: [] as number[], idp: [] as number[], spCpuMs: [] as number[], idpCpuMs: [] as number[] };
      const measured = async <T extends { rate: number }>(run: () => Promise<T>): Promise<T & { cpuMs: number }> => {
        const before = cpuOf();
        const result = await run();
        const after = cpuOf();
        const cpuMs = ['web', 'ferretdb', 'postgres'].reduce((sum, k) => sum + ((after[k] - before[k]) * 1000) / N, 0);
        return { ...result, cpuMs };
      };
      for (let round = 0; IDP_INITIATED && round < 2; round++) {
        const sp = await prepare(N, 11 + round);
        const spRun = await measured(() => closedLoop(N, CONCURRENCY, (i) => sso.postAcs(origin(i), sp.responses[i])));
        initiated.sp.push(spRun.rate);
        initiated.spCpuMs.push(spRun.cpuMs);
        const idp = Array.from({ length: N }, (_, i) => sso.sign(`user${(13 + round + i) % USERS}@bench.example`));
        const idpRun = await measured(() => closedLoop(N, CONCURRENCY, (i) => sso.postAcs(origin(i), idp[i])));
        initiated.idp.push(idpRun.rate);
        initiated.idpCpuMs.push(idpRun.cpuMs);
      }

      const migrations: number[] = [];
      for (const [i, email] of legacy.entries())
        migrations.push(await sso.postAcs(origin(i), sso.sign(email, await sso.startLogin(origin(i)))));
      const migrated = await UserModel.countDocuments({ email: { $in: legacy }, kind: 'sso', status: 'active' });

      // Every kind's full-stack rate, interleaved in two rounds so drift on the machine hits all alike.
      // CPU per login (web, FerretDB, PostgreSQL) too: steadier than the rate when the machine is shared.
      const byKind = new Map<BenchKind, { seconds: number; cpuMs: number; latencies: number[] }>();
      if (KINDS.length > 1)
        for (let pass = 0; pass < 2; pass++)
          for (const [kind, bench] of benches) {
            const b = await prepareFor(bench, N, 11 + pass);
            const run = await measured(() => closedLoop(N, CONCURRENCY, (i) => bench.postAcs(origin(i), b.responses[i])));
            const seen = byKind.get(kind) ?? { seconds: 0, cpuMs: 0, latencies: [] };
            byKind.set(kind, {
              seconds: seen.seconds + N / run.rate,
              cpuMs: seen.cpuMs + run.cpuMs / 2,
              latencies: [...seen.latencies, ...run.latencies],
            });
          }
      const rateOf = (kind: BenchKind) => (2 * N) / byKind.get(kind)!.seconds;

      console.log(
        JSON.stringify(
          {
            machine: `${os.cpus().length} cores, node ${process.version}, load ${os.loadavg().map(round).join(' ')}`,
            kinds: KINDS,
            n: N,
            concurrency: CONCURRENCY,
            webProcesses: WEB_PROCESSES,
            rawNodeSamlPerSecond: round(rawRate),
            fullStackLoginsPerSecond: round(full.rate),
            ratio: round2(full.rate / rawRate),
            rawNodeSamlCpuMsPerResponse: round(1000 / rawRate),
            fullStackCpuMsPerLogin: Object.fromEntries(Object.keys(cpuSeconds).map((k) => [k, round((cpuSeconds[k] * 1000) / N)])),
            fullStackLatencyMs: summary(full.latencies),
            halfRateLatencyMs: { rate: round(full.rate / 2), ...summary(half) },
            firstLoginWithMigrationMs: { count: MIGRATIONS, migrated, ...summary(migrations) },
            ...(IDP_INITIATED
              ? {
                  spInitiatedLoginsPerSecond: initiated.sp.map(round),
                  idpInitiatedLoginsPerSecond: initiated.idp.map(round),
                  idpOverSp: round2(initiated.idp.reduce((a, b) => a + b) / initiated.sp.reduce((a, b) => a + b)),
                  cpuMsPerLogin: { sp: initiated.spCpuMs.map(round), idp: initiated.idpCpuMs.map(round) },
                  idpOverSpByCpu: round2(initiated.spCpuMs.reduce((a, b) => a + b) / initiated.idpCpuMs.reduce((a, b) => a + b)),
                }
              : {}),
            ...(KINDS.length > 1
              ? {
                  fullStackByKind: Object.fromEntries(
                    KINDS.map((kind) => [
                      kind,
                      {
                        loginsPerSecond: round(rateOf(kind)),
                        vsFirstKind: round2(rateOf(kind) / rateOf(KINDS[0]!)),
                        cpuMsPerLogin: round(byKind.get(kind)!.cpuMs),
                        vsFirstKindByCpu: round2(byKind.get(KINDS[0]!)!.cpuMs / byKind.get(kind)!.cpuMs),
                        latencyMs: summary(byKind.get(kind)!.latencies),
                      },
                    ]),
                  ),
                }
              : {}),
          },
          null,
          2,
        ),
      );
      await stack.stopApps();
      await mongoose.connection.dropDatabase();
    } finally {
      await mongoose.disconnect();
    }
  } finally {
    await stack.stop();
  }
}

runBench(main);
