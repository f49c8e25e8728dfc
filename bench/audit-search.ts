/**
 * Audit search benchmark (`npm run bench:audit-search`), a script, not a test: the staff audit
 * search's first page and the tenancy pull API's pages, at 10k and 1M audit events, without the
 * rest of the growth benchmark. The trail is seeded as `bench:growth` seeds it (each event in its
 * tenancy's chain) into databases kept in `.data/bench-audit-search`: a re-run does not re-seed.
 * The searches run in this process against FerretDB on PostgreSQL (no web hop); the staff search
 * both as the console runs it now (from the tenancy's chain) and from the database alone (before).
 *
 * Env: BENCH_SIZES (small,large), BENCH_N (20 per query; action-only: BENCH_N_WIDE, 3; 0 skips it).
 */
import os from 'node:os';
import mongoose from 'mongoose';
import { connectDb } from '../lib/db';
import { findNewest, listAuditEvents, parseAuditFilter } from '../lib/audit-search';
import { pullEvents } from '../lib/audit-stream/pull';
import { readHead } from '../lib/audit-chain/heads';
import { GROWTH_SIZES, seedAuditTrail, seededTenantId } from '../scripts/lib/bulk-seed';
import { startStack } from './lib/stack';
import { round, summary, timed } from './lib/stats';
import { runBench } from './lib/run';

const SIZES = (process.env.BENCH_SIZES ?? 'small,large').split(',') as (keyof typeof GROWTH_SIZES)[];
const N = Number(process.env.BENCH_N ?? 20);
const N_WIDE = Number(process.env.BENCH_N_WIDE ?? 3);
const ACTION = 'sso.signed-in';

type Query = { name: string; runs: number; run: (i: number) => Promise<number> };

async function main() {
  const stack = await startStack('bench-audit-search');
  try {
    const rows: Record<string, Record<string, string>> = {};
    for (const size of SIZES) {
      await connectDb(`${stack.mongoBase}/audit_${size}`);
      try {
        const seeded = await timed(() => seedAuditTrail(GROWTH_SIZES[size], { progress: progress(size) }));
        if (seeded.ms > 10_000) stack.sql('ANALYZE');
        console.log(`[${size}] seeded in ${Math.round(seeded.ms / 1000)} s`);
        for (const q of queries(GROWTH_SIZES[size].tenants).filter((q) => q.runs > 0)) {
          // Warm-up, over the tenancies measured: caches, plans, chain head hints and pages, which the
          // app's writers keep current and which the seed leaves to the first reader.
          for (let i = 0; i < (q.runs === N_WIDE ? 1 : q.runs); i++) await q.run(i);
          const ms: number[] = [];
          let found = 0;
          for (let i = 0; i < q.runs; i++) {
            const { ms: t, value } = await timed(() => q.run(i));
            ms.push(t);
            found = Math.max(found, value);
          }
          const { p50, p95 } = summary(ms);
          (rows[q.name] ??= {})[size] = `${p50} / ${p95} (${found})`;
          console.log(`[${size}] ${q.name}: p50 ${p50} ms, p95 ${p95} ms, ${found} events; load ${loadAverage()}`);
        }
      } finally {
        await mongoose.disconnect();
      }
    }
    console.log(`\n${os.cpus().length} cores; load average ${loadAverage()}\n`);
    console.log(`| p50 / p95 ms (events on the page) | ${SIZES.join(' | ')} |\n|---|${SIZES.map(() => '---|').join('')}`);
    for (const [name, bySize] of Object.entries(rows)) console.log(`| ${name} | ${SIZES.map((s) => bySize[s] ?? '').join(' | ')} |`);
  } finally {
    await stack.stop();
  }
}

function queries(tenants: number): Query[] {
  const tenant = (i: number) => seededTenantId((i * 7) % tenants);
  // As the console lists: from the chain when it can (now), or always from the database (before).
  const staff = async (query: Record<string, string>, how: 'chain' | 'database') => {
    if (how === 'chain') return (await listAuditEvents(parseAuditFilter(query))).events.map((e) => e.id);
    return (await findNewest(parseAuditFilter(query), 51)).slice(0, 50).map((e) => String(e._id));
  };
  const staffQueries = (how: 'chain' | 'database'): Query[] => [
    { name: `staff search, ${how}: tenant`, runs: N, run: async (i) => (await staff({ tenant: tenant(i) }, how)).length },
    {
      name: `staff search, ${how}: tenant + action`,
      runs: N,
      run: async (i) => (await staff({ tenant: tenant(i), action: ACTION }, how)).length,
    },
    {
      name: `staff search, ${how}: tenant + action, page 2`,
      runs: N,
      run: async (i) => {
        const first = await staff({ tenant: tenant(i), action: ACTION }, how);
        return (await staff({ tenant: tenant(i), action: ACTION, before: first[first.length - 1] }, how)).length;
      },
    },
  ];
  return [
    ...staffQueries('database'),
    ...staffQueries('chain'),
    // No tenancy: the database either way (every match is read and sorted by FerretDB).
    { name: 'staff search: action (all tenants)', runs: N_WIDE, run: async () => (await staff({ action: ACTION }, 'chain')).length },
    {
      name: 'tenancy pull API: first page (after=0)',
      runs: N,
      run: async (i) => (await pullEvents(tenant(i), 'extended', { after: '0' })).events.length,
    },
    {
      name: 'tenancy pull API: newest page',
      runs: N,
      run: async (i) => {
        const head = await readHead(tenant(i));
        return (await pullEvents(tenant(i), 'extended', { after: String(Math.max(0, head.seq - 100)) })).events.length;
      },
    },
  ];
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => round(l))
    .join(', ');

function progress(size: string) {
  let last = 0;
  return (what: string, done: number, total: number) => {
    if (Date.now() - last <= 5_000 && done !== total) return;
    last = Date.now();
    console.log(`[${size}] seed ${what} ${done}/${total}`);
  };
}

runBench(main);
