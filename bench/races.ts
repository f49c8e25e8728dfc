/**
 * Race figures of the database under the app (`npm run bench:races`), a script, not a test:
 * how many of N concurrent writers "win" where only one should, round after round. Runs on
 * the test services' FerretDB (or MONGO_URL), in a database of its own that it drops.
 *
 *   - conditional update: N × findOneAndUpdate({ _id, state: 'pending' }) of one document;
 *   - `$inc`: N × updateOne({ $inc }) of one counter (lost increments);
 *   - `findOneAndDelete`: N × of one document (how many get it back);
 *   - `deleteOne`: N × of one document (how many are told they deleted it; the held IdP-initiated
 *     sign-in is taken this way, lib/saml/idp-initiated.ts);
 *   - unique insert: N × claimOnce(key) (lib/claims.ts);
 *   - rate-limit counter: N × hit of one key (lib/rate-limit-counter.ts).
 *
 * Env: BENCH_ROUNDS (20), BENCH_WRITERS (4).
 */
import mongoose from 'mongoose';
import { claimOnce } from '../lib/claims';
import { connectDb } from '../lib/db';
import { RateLimitCounter } from '../lib/rate-limit-counter';
import { ensureTestServices, TEST_MONGO_BASE } from '../scripts/lib/test-services';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 4);
const together = <T>(fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: WRITERS }, (_, i) => fn(i)));

async function main() {
  const stop = process.env.MONGO_URL ? async () => undefined : await ensureTestServices();
  await connectDb(process.env.MONGO_URL ?? `${TEST_MONGO_BASE}/races${Date.now().toString(36)}`);
  const db = mongoose.connection.db!;
  const totals = {
    conditionalExtraWinners: 0,
    findOneAndDeleteExtraWinners: 0,
    deleteOneExtraWinners: 0,
    incLost: 0,
    uniqueInsertExtraWinners: 0,
    rateLimitUncounted: 0,
  };
  for (let round = 0; round < ROUNDS; round++) {
    const { insertedId } = await db.collection('race_docs').insertOne({ state: 'pending' });
    const won = await together((i) =>
      db.collection('race_docs').findOneAndUpdate({ _id: insertedId, state: 'pending' }, { $set: { state: 'done', by: i } }),
    );
    totals.conditionalExtraWinners += won.filter(Boolean).length - 1;

    const taken = await db.collection('race_docs').insertOne({ state: 'held' });
    const got = await together(() => db.collection('race_docs').findOneAndDelete({ _id: taken.insertedId }));
    totals.findOneAndDeleteExtraWinners += got.filter(Boolean).length - 1;
    const deleted = await db.collection('race_docs').insertOne({ state: 'held' });
    const counts = await together(() => db.collection('race_docs').deleteOne({ _id: deleted.insertedId }));
    totals.deleteOneExtraWinners += counts.reduce((sum, r) => sum + r.deletedCount, 0) - 1;

    const counter = await db.collection('race_counters').insertOne({ n: 0 });
    await together(() => db.collection('race_counters').updateOne({ _id: counter.insertedId }, { $inc: { n: 1 } }));
    totals.incLost += WRITERS - (await db.collection('race_counters').findOne({ _id: counter.insertedId }))!.n;

    totals.uniqueInsertExtraWinners += (await together(() => claimOnce(`race:${round}`))).filter(Boolean).length - 1;

    const limiter = new RateLimitCounter(`race-${round}`, 60_000);
    await together(() => limiter.hit('client'));
    totals.rateLimitUncounted += WRITERS - (await limiter.count('client')).totalHits;
  }
  console.log(
    JSON.stringify(
      {
        backend: (await db.admin().command({ buildInfo: 1 })).ferretdbVersion ? 'FerretDB' : 'MongoDB',
        rounds: ROUNDS,
        writers: WRITERS,
        ...totals,
      },
      null,
      2,
    ),
  );
  await db.dropDatabase();
  await mongoose.disconnect();
  await stop();
}

main().catch((err) => {
  console.error('bench: failed', err);
  process.exit(1);
});
