/**
 * SCIM initial-sync benchmark (`npm run bench:scim`), a script, not a test. Its own stack
 * (bench/lib/stack.ts: Temporal, PostgreSQL + FerretDB, an SMTP sink), the web app as its own
 * process, and the Entra provisioning emulator running the initial cycle of a directory of
 * BENCH_USERS users (default 10,000) with BENCH_CONCURRENCY objects at once (default 8): per
 * user a `GET /Users?filter=userName eq "…"` and a `POST /Users`, as Entra sends them.
 * Reports requests/s, p50/p95/p99 per request kind and overall, CPU per process, and checks
 * that every user became an SSO account. Targets: ≥ 200 requests/s, p99 < 100 ms.
 * Then a mass deprovisioning: BENCH_DELETE_PERCENT % of the directory (default 20) hard-deleted
 * in one incremental cycle, as a mis-scoped change would; the safety valve (SCIM_VALVE_PERCENT,
 * default 10 %) must trip within one batch (the requests in flight at once) of the line.
 * No worker runs: the sagas wait in Temporal, and suspension and the valve are the request's.
 * Env: BENCH_USERS, BENCH_CONCURRENCY, BENCH_DELETE_PERCENT, BENCH_PROFILE_DIR (the web
 * process writes a V8 CPU profile there).
 */
import os from 'node:os';
import mongoose from 'mongoose';
import { EntraProvisioningService, ProvisioningDirectory, type SentRequest } from '../emulator/provisioning';
import { parseConfig } from '../lib/config';
import { connectDb } from '../lib/db';
import { AuditEventModel, ScimUserModel, TenantModel, UserModel } from '../lib/models';
import { issueScimToken } from '../lib/scim/tokens';
import { claimDomain } from '../lib/sso/domains';
import { cpuSeconds, freePort, startStack, waitForHttp, appEnv } from './lib/stack';
import { round, summary } from './lib/stats';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const DELETE_PERCENT = Number(process.env.BENCH_DELETE_PERCENT ?? 20);
const WARM_UP = 200;
const TENANT = '3c7d9e1f-5a2b-4c6d-8e0f-1a2b3c4d5e6f';

async function main() {
  const stack = await startStack('bench-scim');
  try {
    const port = await freePort();
    const env = {
      ...appEnv(stack, { database: `scim${Date.now().toString(36)}`, publicUrl: `http://127.0.0.1:${port}` }),
      WEB_PORT: String(port),
    };
    const config = parseConfig(env);
    await connectDb(config.MONGO_URL);
    try {
      await TenantModel.create({ tenantId: TENANT, name: 'Bench', stage: 'live' });
      for (const domain of ['bench.example', 'warm.example'])
        if (!(await claimDomain(TENANT, domain)).ok) throw new Error(`could not claim ${domain}`);
      const { token } = await issueScimToken(TENANT, { kind: 'system', email: 'bench' }, { overlapMs: 0 });
      const web = stack.startApp('web', 'web/main.ts', env, { profileDir: process.env.BENCH_PROFILE_DIR });
      await waitForHttp(`${config.PUBLIC_BASE_URL}/healthz`);
      const scimUrl = `${config.PUBLIC_BASE_URL}/scim/v2/${TENANT}`;

      // Warm-up on other users: JITs, connection pools, the tenant's first documents.
      const warm = new ProvisioningDirectory();
      for (let i = 0; i < WARM_UP; i++) warm.addUser({ userPrincipalName: `warm${i}@warm.example`, department: 'Warm-up' });
      const warmed = await new EntraProvisioningService(warm, { scimUrl, token, concurrency: CONCURRENCY }).runCycle();
      if (warmed.failed.length) throw new Error(`warm-up failed: ${JSON.stringify(warmed.failed.slice(0, 3))}`);

      const directory = new ProvisioningDirectory();
      for (let i = 0; i < USERS; i++)
        directory.addUser({
          userPrincipalName: `user${i}@bench.example`,
          givenName: `Given${i}`,
          surname: `Family${i}`,
          department: `Dept ${i % 40}`,
          jobTitle: 'Engineer',
        });
      const roles = { web: [web.pid!], ferretdb: stack.pids.ferretdb, postgres: stack.pids.postgres };
      const cpuOf = () =>
        Object.fromEntries(
          Object.entries(roles).map(([k, pids]) => [k, pids.reduce((sum, pid) => sum + cpuSeconds(pid, k === 'postgres'), 0)]),
        );
      const load = os.loadavg()[0];
      const cpuBefore = cpuOf();
      const service = new EntraProvisioningService(directory, { scimUrl, token, concurrency: CONCURRENCY });
      const cycle = await service.runCycle();
      const cpuAfter = cpuOf();

      const ms = (rs: SentRequest[]) => rs.map((r) => r.ms);
      const of = (method: string) => cycle.requests.filter((r) => r.method === method);
      const [accounts, records] = await Promise.all([
        UserModel.countDocuments({ tenantId: TENANT, kind: 'sso', status: 'active', email: /@bench\.example$/ }),
        ScimUserModel.countDocuments({ tenantId: TENANT }),
      ]);
      const seconds = cycle.durationMs / 1000;
      const result = {
        users: USERS,
        concurrency: CONCURRENCY,
        machine: { cpus: os.cpus().length, load1mBefore: round(load), load1mAfter: round(os.loadavg()[0]) },
        requests: cycle.requests.length,
        failed: cycle.failed.length,
        seconds: round(seconds),
        requestsPerSecond: round(cycle.requests.length / seconds),
        usersPerSecond: round(USERS / seconds),
        latencyMs: { all: summary(ms(cycle.requests)), filterGet: summary(ms(of('GET'))), create: summary(ms(of('POST'))) },
        cpuSeconds: Object.fromEntries(Object.keys(roles).map((k) => [k, round(cpuAfter[k] - cpuBefore[k])])),
        check: { ssoAccounts: accounts, scimRecords: records - WARM_UP },
      };
      console.log(JSON.stringify(result, null, 2));
      const met = result.requestsPerSecond >= 200 && result.latencyMs.all.p99 < 100 && result.failed === 0 && accounts === USERS;
      console.log(met ? 'SYNC TARGETS MET (≥ 200 requests/s, p99 < 100 ms, every user an SSO account)' : 'SYNC TARGETS NOT MET');

      const valve = await massDeprovisioning(service, config.SCIM_VALVE_PERCENT);
      console.log(JSON.stringify({ massDeprovisioning: valve }, null, 2));
      console.log(
        valve.withinOneBatch
          ? `VALVE TARGET MET (tripped ${valve.overshoot} deletions past the line; batch ${CONCURRENCY})`
          : 'VALVE TARGET NOT MET',
      );
    } finally {
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await mongoose.disconnect();
    }
  } finally {
    await stack.stop();
  }
}

/** Hard-deletes DELETE_PERCENT % of the directory and runs the cycle that tells the endpoint. */
async function massDeprovisioning(service: EntraProvisioningService, valvePercent: number) {
  const users = await ScimUserModel.countDocuments({ tenantId: TENANT, purgedAt: null });
  const doomed = [...service.directory.users.keys()].slice(0, Math.floor((USERS * DELETE_PERCENT) / 100));
  doomed.forEach((objectId) => service.directory.hardDelete(objectId));
  const cycle = await service.runCycle();
  const deletes = cycle.requests.filter((r) => r.method === 'DELETE');
  const trips = await AuditEventModel.find({ action: 'scim.safety-valve.tripped', tenantId: TENANT }).lean();
  const trip = trips[0];
  // It trips on the first deletion that takes the hour's count over valvePercent % of the users.
  const line = Math.floor((users * valvePercent) / 100) + 1;
  const atTrip = trip ? Number(trip.details.deprovisioned) : undefined;
  const overshoot = atTrip === undefined ? undefined : atTrip - line;
  return {
    users,
    deleted: doomed.length,
    valvePercent,
    answered204: deletes.filter((r) => r.status === 204).length,
    suspended: await UserModel.countDocuments({ tenantId: TENANT, status: 'suspended' }),
    deletesPerSecond: round(deletes.length / (cycle.durationMs / 1000)),
    deleteLatencyMs: summary(deletes.map((r) => r.ms)),
    line,
    deprovisionedAtTrip: atTrip,
    overshoot,
    trips: trips.length,
    withinOneBatch: trips.length === 1 && overshoot !== undefined && overshoot >= 0 && overshoot < CONCURRENCY,
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
