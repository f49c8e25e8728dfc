/**
 * Audit append cost (`npm run bench:audit`), a script, not a test: what the hash chain adds to
 * each audit event, which sits on the sign-in path. On services of its own (FerretDB on
 * PostgreSQL, bench/lib/stack.ts), a fresh database; the same events written
 *   1. plain:   one `insertOne` each (what audit() did before the chain);
 *   2. chained: `audit()` (group commit, unique position, hashes).
 * Each sequentially (latency p50/p99) and from C concurrent callers on one tenancy (events/s).
 * Env: BENCH_N (1000), BENCH_CONCURRENCY (8).
 */
import { randomUUID } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { audit, type AuditInput } from '../lib/audit';
import { connectDb } from '../lib/db';
import { AuditEventModel } from '../lib/models';
import { startStack } from './lib/stack';
import { round, percentile } from './lib/stats';

const N = Number(process.env.BENCH_N ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const event = (tenantId: string, i: number): AuditInput => ({
  action: 'auth.signin',
  outcome: 'success',
  actor: { kind: 'user', userId: new Types.ObjectId().toHexString(), email: `user${i}@contoso.example` },
  target: { type: 'user', id: new Types.ObjectId().toHexString() },
  tenantId,
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) bench',
  details: { method: 'saml', sessionIndex: `_${randomUUID()}` },
});

const plain = (e: AuditInput) => AuditEventModel.collection.insertOne({ ...e, _id: new Types.ObjectId(), at: new Date() });
const chained = (e: AuditInput) => audit(e);

async function sequential(write: (e: AuditInput) => Promise<unknown>) {
  const tenantId = randomUUID();
  const latencies: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await write(event(tenantId, i));
    latencies.push(performance.now() - t);
  }
  return { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)) };
}

async function concurrent(write: (e: AuditInput) => Promise<unknown>) {
  const tenantId = randomUUID();
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) await write(event(tenantId, next++));
    }),
  );
  return Math.round(N / ((performance.now() - t) / 1000));
}

async function main() {
  const stack = await startStack('bench-audit');
  await connectDb(`${stack.mongoBase}/bench-audit-${Date.now().toString(36)}`);
  // Warm both paths (connection pool, indexes) before measuring.
  await sequential(plain);
  await sequential(chained);
  const rounds = [];
  for (let r = 0; r < 2; r++) {
    rounds.push({
      plain: await sequential(plain),
      chained: await sequential(chained),
      plainRate: await concurrent(plain),
      chainedRate: await concurrent(chained),
    });
  }
  console.table(
    rounds.map((r, i) => ({
      round: i + 1,
      'plain p50 ms': r.plain.p50,
      'chained p50 ms': r.chained.p50,
      'plain p99 ms': r.plain.p99,
      'chained p99 ms': r.chained.p99,
      [`plain /s (${CONCURRENCY} callers)`]: r.plainRate,
      [`chained /s (${CONCURRENCY} callers)`]: r.chainedRate,
    })),
  );
  await mongoose.connection.dropDatabase();
  await mongoose.disconnect();
  await stack.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
