/**
 * Purge benchmark (`npm run bench:purge`), a script, not a test: how fast one owner's small
 * files are purged among many other files, and where the time goes. On services of its own
 * (PostgreSQL + FerretDB, as bench:growth), it seeds BENCH_OTHERS files of 1,000 other owners
 * and BENCH_FILES files of one owner (64 bytes each, bench:growth's shape), then runs the purge
 * activity itself (`purgeFiles`, in a mock activity environment) and prints files/s, the
 * database commands it sent per file, and CPU ms per file of FerretDB and PostgreSQL.
 *
 * BENCH_LAYOUT: `inline` (default; how uploads are stored now) or `gridfs` (how every file was
 * stored before inline files: metadata, GridFS file, chunk). BENCH_OTHERS (200000), BENCH_FILES
 * (10000). BENCH_PURGE_MODULE: another version of purge-files.ts to time instead (e.g. the one
 * on main, `git show main:activities/deletion/purge-files.ts > activities/deletion/purge-main.ts`).
 * Seeded databases are kept in .data/bench-purge (a re-run adds only the missing).
 */
import { execSync } from 'node:child_process';
import mongoose from 'mongoose';
import { MockActivityEnvironment } from '@temporalio/testing';
import { connectDb } from '../lib/db';
import { FileModel } from '../lib/models';
import type { PurgeCheckpoint, purgeFiles as PurgeFiles } from '../activities/deletion/purge-files';
import { seedFiles, seedId } from '../scripts/lib/bulk-seed';
import { cpuSeconds, startStack } from './lib/stack';
import { runBench } from './lib/run';

const LAYOUT = process.env.BENCH_LAYOUT === 'gridfs' ? 'gridfs' : 'inline';
const OTHERS = Number(process.env.BENCH_OTHERS ?? 200_000);
const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const MODULE = process.env.BENCH_PURGE_MODULE ?? '../activities/deletion/purge-files';

async function main() {
  const stack = await startStack('bench-purge');
  try {
    await connectDb(`${stack.mongoBase}/purge_${LAYOUT}_${OTHERS}`, { monitorCommands: true });
    const seeding = Date.now();
    await seedFiles(OTHERS, (i) => ({ ownerId: seedId('user', i % 1_000) }), { layout: LAYOUT });
    const owner = seedId('user', 0, 9);
    await seedFiles(FILES, () => ({ ownerId: owner }), { space: 9, layout: LAYOUT });
    stack.sql('ANALYZE');
    console.log(`seeded ${OTHERS} + ${FILES} files (${LAYOUT}) in ${Math.round((Date.now() - seeding) / 1000)} s`);

    const { purgeFiles } = (await import(MODULE)) as { purgeFiles: typeof PurgeFiles };
    const commands = new Map<string, number>();
    const client = mongoose.connection.getClient();
    client.on('commandStarted', (e) => {
      const key = `${e.commandName} ${String(e.commandName === 'getMore' ? e.command.collection : e.command[e.commandName])}`;
      commands.set(key, (commands.get(key) ?? 0) + 1);
    });
    const cpu = () => ({
      ferretdb: cpuSeconds(stack.pids.ferretdb[0]),
      postgres: cpuSeconds(stack.pids.postgres[0], true),
      bench: process.cpuUsage().user / 1e6,
    });
    const load = () => execSync('uptime').toString().trim();
    const loadBefore = load();
    const before = cpu();
    const started = Date.now();
    const done: PurgeCheckpoint = await new MockActivityEnvironment().run(() => purgeFiles({ ownerId: owner }));
    const ms = Date.now() - started;
    const after = cpu();
    const left = { owner: await FileModel.countDocuments({ ownerId: owner }), others: await FileModel.estimatedDocumentCount() };

    const perFile = (s: number) => Math.round((s * 1e6) / FILES) / 1000;
    console.log(
      JSON.stringify(
        {
          module: MODULE,
          layout: LAYOUT,
          others: OTHERS,
          files: FILES,
          purged: done.purged,
          ms,
          filesPerSecond: Math.round((FILES * 1000) / ms),
          cpuMsPerFile: {
            ferretdb: perFile(after.ferretdb - before.ferretdb),
            postgres: perFile(after.postgres - before.postgres),
            bench: perFile(after.bench - before.bench),
          },
          commands: Object.fromEntries([...commands].sort((a, b) => b[1] - a[1])),
          left,
          loadBefore,
          loadAfter: load(),
        },
        null,
        2,
      ),
    );
  } finally {
    await mongoose.disconnect();
    await stack.stop();
  }
}

runBench(main);
