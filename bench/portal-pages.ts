/**
 * Admin portal and staff console pages for a tenancy of 100k users (`npm run bench:portal`), a
 * script, not a test. Seeds (once; a re-run adds only what is missing, bench/lib/portal-seed.ts)
 * then measures each page through HTTP against the real web app and worker on FerretDB on
 * PostgreSQL, signed in as staff (who see every portal page): p50/p95/max of the server's
 * answer on loopback. Users pages are measured at cursors spread over the whole list by rank
 * (so skewed buckets are hit in proportion to their size) and by email prefixes of 1 to 8
 * characters; the worst page is the max.
 *
 * Env: BENCH_N (40 requests per page), BENCH_DATABASE (portal_100k), BENCH_ONLY (a regular
 * expression: only the pages whose names match, e.g. `users`). Services are its own (bench/lib/stack.ts); the seeded
 * database is kept in .data/bench-portal between runs.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { parseConfig } from '../lib/config';
import { connectDb } from '../lib/db';
import { indexUserListOnce } from '../lib/accounts/index-user-list';
import { copyLastSignIns } from '../lib/accounts/copy-last-sign-ins';
import { UserModel } from '../lib/models';
import { hashPassword } from '../lib/passwords';
import { ROOT } from '../scripts/lib/tools';
import { passwordSignIn } from './lib/password-sign-in';
import { runBench } from './lib/run';
import { PORTAL_TENANT, PORTAL_USERS, portalEmail, seedPortalWorld } from './lib/portal-seed';
import { appEnv, freePort, startStack, waitForHttp } from './lib/stack';
import { percentile, round, timed } from './lib/stats';

const N = Number(process.env.BENCH_N ?? 40);
const ONLY = new RegExp(process.env.BENCH_ONLY ?? '');
const PASSWORD = 'portal-bench-password';
const T = PORTAL_TENANT;

async function main() {
  const stack = await startStack('bench-portal');
  const webPort = await freePort();
  const origin = `http://127.0.0.1:${webPort}`;
  const env = { ...appEnv(stack, { database: process.env.BENCH_DATABASE ?? 'portal_100k', publicUrl: origin }), WEB_PORT: String(webPort) };
  const log = (s: string) => console.log(`[portal] ${s}`);
  try {
    await connectDb(parseConfig(env).MONGO_URL);
    const passwordHash = await hashPassword(PASSWORD);
    let last = 0;
    const seeded = await timed(() =>
      seedPortalWorld({
        passwordHash,
        progress: (what, done, total) => {
          if (Date.now() - last <= 5_000 && done !== total) return;
          last = Date.now();
          log(`seed ${what} ${done}/${total}`);
        },
      }),
    );
    await UserModel.updateOne(
      { email: 'staff@bench.test' },
      { $set: { kind: 'standard', status: 'active', isStaff: true, passwordHash, emailConfirmedAt: new Date() } },
      { upsert: true },
    );
    stack.sql('ANALYZE');
    log(`seeded in ${Math.round(seeded.ms / 1000)} s`);
    // The worker's start-up back-fill of the list keys, run here first so it is timed alone.
    const keyed = await timed(() => indexUserListOnce());
    log(`list keys back-filled for ${keyed.value} users in ${Math.round(keyed.ms / 1000)} s`);
    const copied = await timed(() => copyLastSignIns());
    log(`last sign-ins copied to ${copied.value} users in ${Math.round(copied.ms / 1000)} s`);
    await mongoose.disconnect();

    const worker = stack.startApp('worker', 'worker/main.ts', env);
    const workerStarted = performance.now();
    const polling = new Promise<number>((resolve) =>
      worker.stdout?.on('data', (d) => String(d).includes('worker: polling') && resolve(performance.now() - workerStarted)),
    );
    stack.startApp('web', 'web/main.ts', env);
    const [, workerStartMs] = await Promise.all([waitForHttp(`${origin}/healthz`, 600_000), polling]);
    log(`worker polling after ${Math.round(workerStartMs / 1000)} s`);
    const { cookie } = await passwordSignIn(origin, 'staff@bench.test', PASSWORD);

    const get = async (url: string) => {
      const { ms, value } = await timed(async () => {
        const res = await fetch(`${origin}${url}`, { headers: { cookie }, redirect: 'manual' });
        return { status: res.status, body: await res.text() };
      });
      if (value.status !== 200) throw new Error(`${url} answered ${value.status}`);
      return { ms, body: value.body };
    };
    const rows = (body: string) => (body.match(/<tr data-user="/g) ?? []).length;
    const sorted = Array.from({ length: PORTAL_USERS }, (_, i) => portalEmail(i)).sort();
    const results: Record<string, { p50: number; p95: number; max: number; note?: string }> = {};
    const measure = async (name: string, url: (k: number) => string, check?: (body: string, k: number) => void) => {
      if (!ONLY.test(name)) return;
      await get(url(0)); // warm
      const times: number[] = [];
      for (let k = 0; k < N; k++) {
        const { ms, body } = await get(url(k));
        check?.(body, k);
        times.push(ms);
      }
      results[name] = { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), max: round(Math.max(...times)) };
      log(`${name}: p50 ${results[name].p50} ms, p95 ${results[name].p95} ms, max ${results[name].max} ms`);
    };
    const fullPage = (body: string, k: number) => {
      if (rows(body) !== 50) throw new Error(`users page ${k} showed ${rows(body)} rows, not 50`);
    };

    const uptimeBefore = execSync('uptime').toString().trim();
    for (const [name, page] of [
      ['progress', ''],
      ['connect', '/connect'],
      ['test', '/test'],
      ['domains', '/domains'],
      ['access', '/access'],
      ['logging', '/logging'],
    ] as const)
      await measure(name, () => `/portal/${T}${page}`);
    await measure('users, first page', () => `/portal/${T}/users`, fullPage);
    // Cursors spread evenly by rank over the whole list (never the last page, which is short).
    const cursor = (k: number) => sorted[Math.floor(((k + 0.5) * (PORTAL_USERS - 100)) / N)];
    await measure('users, deep page', (k) => `/portal/${T}/users?after=${encodeURIComponent(cursor(k))}`, fullPage);
    // Prefixes of 1 to 8 characters of emails spread over the list: from a whole letter to a few people.
    const prefix = (k: number) => cursor(N - 1 - k).slice(0, 1 + (k % 8));
    await measure(
      'users, search',
      (k) => `/portal/${T}/users?q=${encodeURIComponent(prefix(k))}`,
      (body, k) => {
        if (rows(body) === 0) throw new Error(`search ${prefix(k)} found nobody`);
      },
    );
    await measure('staff: tenant page', () => `/staff/tenants/${T}`);
    const found = (body: string, k: number) => {
      if (rows(body) === 0) throw new Error(`staff search ${prefix(k)} found nobody`);
    };
    await measure('staff: user search', (k) => `/staff/users?q=${encodeURIComponent(prefix(k))}`, found);
    await measure('staff: users list', () => '/staff/users', fullPage);
    // A filter few users match: each page reads its budget (~450 users) and may end short, with a cursor.
    await measure('staff: users list, rare filter', (k) => `/staff/users?status=deleting&after=${encodeURIComponent(cursor(k))}`);
    // Deep pages of the list without a query (every user, in email order), at cursors spread over the tenancy's emails.
    await measure('staff: users list, deep', (k) => `/staff/users?after=${encodeURIComponent(cursor(k))}`, fullPage);
    const report = {
      at: new Date().toISOString(),
      machine: `${os.cpus().length} cores, node ${process.version}`,
      uptimeBefore,
      uptimeAfter: execSync('uptime').toString().trim(),
      n: N,
      seedSeconds: Math.round(seeded.ms / 1000),
      backfillSeconds: round(keyed.ms / 1000),
      lastSignInCopySeconds: round(copied.ms / 1000),
      workerStartSeconds: round(workerStartMs / 1000),
      results,
    };
    fs.writeFileSync(path.join(ROOT, '.data', `bench-portal-${Date.now()}.json`), JSON.stringify(report, null, 2));
    console.log(`\n${report.machine}\nload before: ${report.uptimeBefore}\nload after:  ${report.uptimeAfter}\n`);
    console.log('page'.padEnd(24), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'max ms'.padStart(8));
    for (const [name, r] of Object.entries(results))
      console.log(name.padEnd(24), String(r.p50).padStart(8), String(r.p95).padStart(8), String(r.max).padStart(8));
  } finally {
    await stack.stop();
  }
}

runBench(main);
