/**
 * Benchmark (a script, not a test): `npm run bench:deletion`.
 *
 * A user with 10,000 files of 1 KB and 100 files of 1 MB (interleaved, as uploads would be)
 * is deleted by the real `deleteUser` workflow on the real Temporal dev server and FerretDB
 * (the test services, started if needed), timed from request to result. The same data is
 * then seeded again and purged by a raw driver purge (three deleteMany calls), for the
 * ratio. Options: --small N --large N (defaults 10000 / 100).
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import Long from 'long';
import mongoose, { Types } from 'mongoose';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { parseConfig } from '../lib/config';
import { connectDb } from '../lib/db';
import { requestUserDeletion } from '../lib/deletion/requests';
import { createMailer } from '../lib/mailer';
import { BLOB_BUCKET, FileModel, UserModel } from '../lib/models';
import { createWorkers, runWorkers } from '../worker/workers';
import { Inbox } from '../scripts/lib/inbox';
import { ensureTestServices, TEST_MONGO_BASE, TEST_TEMPORAL_ADDRESS } from '../scripts/lib/test-services';
import { blobCounts, seedFiles } from '../scripts/lib/seed-files';
import { searchAttributeTypes } from '../scripts/lib/services';

Runtime.install({ logger: new DefaultLogger('WARN') });
const { values } = parseArgs({ options: { small: { type: 'string', default: '10000' }, large: { type: 'string', default: '100' } } });
const SMALL = Number(values.small);
const LARGE = Number(values.large);

async function main() {
  const stopServices = await ensureTestServices();
  const id = `bench${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const inbox = new Inbox();
  const config = parseConfig({
    NODE_ENV: 'test',
    MONGO_URL: `${TEST_MONGO_BASE}/${id}`,
    TEMPORAL_ADDRESS: TEST_TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: id,
    TEMPORAL_TASK_QUEUE: `entrada-${id}`,
    SMTP_URL: await inbox.start(),
  });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  await connection.workflowService.registerNamespace({
    namespace: id,
    workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(24 * 3600) },
  });
  await connection.operatorService.addSearchAttributes({
    namespace: id,
    searchAttributes: searchAttributeTypes(),
  });
  const client = new Client({ connection, namespace: id });
  await connectDb(config.MONGO_URL);
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  const workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const workers = await createWorkers({
    connection: workerConnection,
    namespace: id,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: { config, mailer },
  });
  const running = runWorkers(workers);

  try {
    console.log(`seeding ${SMALL} × 1 KB + ${LARGE} × 1 MB files...`);
    const user = await UserModel.create({ email: `bench-${id}@example.test` });
    await seed(user._id);
    const started = Date.now();
    const { handle } = await requestUserDeletion(client, config.TEMPORAL_TASK_QUEUE, {
      userId: String(user._id),
      requestedBy: { kind: 'system', reason: 'benchmark' },
    });
    const result = await handle.result();
    const workflowMs = Date.now() - started;
    const left = { metadata: await FileModel.countDocuments({ ownerId: user._id }), ...(await blobCounts()) };

    const other = await UserModel.create({ email: `raw-${id}@example.test` });
    await seed(other._id);
    const rawMs = await rawPurge(other._id);

    const files = SMALL + LARGE;
    const rate = (ms: number) => Math.round((files * 1000) / ms);
    const report = {
      files,
      bytes: result.counts.bytes,
      workflow: { ms: workflowMs, filesPerSecond: rate(workflowMs), purged: result.counts.files },
      raw: { ms: rawMs, filesPerSecond: rate(rawMs) },
      ratio: Number((rawMs / workflowMs).toFixed(2)),
      leftAfterWorkflow: left,
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    workers.forEach((w) => w.shutdown());
    await running;
    await workerConnection.close();
    await mongoose.connection.dropDatabase();
    await mongoose.disconnect();
    mailer.close();
    await inbox.stop();
    await connection.close();
    await stopServices();
  }
}

/** Small and large files interleaved in upload (_id) order, as a real account would have them. */
const seed = (ownerId: Types.ObjectId) => seedFiles(ownerId, { count: SMALL, size: 1024, large: { count: LARGE, size: 1024 * 1024 } });

/** The baseline: what a one-off script would do, with no batching, heartbeats or audit (inline files go with their metadata). */
async function rawPurge(ownerId: Types.ObjectId): Promise<number> {
  const db = mongoose.connection.db!;
  const started = Date.now();
  const blobIds = (await FileModel.find({ ownerId }, { blobId: 1 }).lean()).flatMap((f) => (f.blobId ? [f.blobId] : []));
  await db.collection(`${BLOB_BUCKET}.chunks`).deleteMany({ files_id: { $in: blobIds } });
  await db.collection(`${BLOB_BUCKET}.files`).deleteMany({ _id: { $in: blobIds } });
  await FileModel.deleteMany({ ownerId });
  return Date.now() - started;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
