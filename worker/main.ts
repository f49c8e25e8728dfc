import { loadConfigOrExit } from '../lib/config';
import { connectDb, disconnectDb } from '../lib/db';
import { createMailer } from '../lib/mailer';
import { createTemporalClient, createWorkerConnection } from '../lib/temporal';
import { ensureAuditStreams } from '../lib/audit-stream/control';
import { ensureSchedules } from './schedules';
import { ensureLiveConnections } from '../lib/connection/ensure';
import { fillMissingConnections } from '../lib/idp/fill-connections';
import { indexSsoSessions } from '../lib/sso/end-sessions';
import { indexUserListOnce } from '../lib/accounts/index-user-list';
import { copyLastSignIns } from '../lib/accounts/copy-last-sign-ins';
import { createWorkers, runWorkers } from './workers';

async function main() {
  const config = loadConfigOrExit();
  await connectDb(config.MONGO_URL);
  const filled = await fillMissingConnections();
  if (filled) console.log(`worker: recorded the Entra connection of ${filled} tenancy(ies) stored before connection kinds`);
  const indexed = await indexSsoSessions();
  if (indexed) console.log(`worker: indexed ${indexed} SSO session(s) stored before single logout had an index`);
  const listed = await indexUserListOnce();
  if (listed) console.log(`worker: keyed ${listed} user(s) for the portal's user list`);
  const copied = await copyLastSignIns();
  if (copied) console.log(`worker: copied the last sign-in of ${copied} user(s) from their identities`);
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  const connection = await createWorkerConnection(config);
  const workers = await createWorkers({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: { config, mailer },
  });
  const client = await createTemporalClient(config);
  await ensureSchedules(client, config);
  const streams = await ensureAuditStreams(client, config.TEMPORAL_TASK_QUEUE);
  const connections = await ensureLiveConnections(client, config);
  console.log(
    `worker: polling ${config.TEMPORAL_TASK_QUEUE} (+ purge and stream queues) in namespace ${config.TEMPORAL_NAMESPACE}; ${streams} audit streams on, ${connections} live SSO connection(s) watched`,
  );
  // Worker.run() installs SIGINT/SIGTERM handlers that drain in-flight tasks before resolving.
  await runWorkers(workers);
  mailer.close();
  await connection.close();
  await client.connection.close();
  await disconnectDb();
}

main().catch((err) => {
  console.error('worker: fatal', err);
  process.exit(1);
});
