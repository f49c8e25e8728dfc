/**
 * `npm start`: the whole system in one process tree on embedded defaults — Temporal dev
 * server + UI, PostgreSQL with FerretDB on it, MailDev (SMTP catcher with a web inbox), the Entra ID emulator,
 * the Logs Ingestion (Azure Monitor) emulator, the worker and the web app — with prefixed logs, a
 * banner of URLs, and a clean stop on Ctrl-C.
 * A process that crashes is restarted with backoff while the others keep running
 * (scripts/lib/supervisor.ts); one that fails to come up at start stops everything.
 * Any service whose variable points elsewhere (TEMPORAL_ADDRESS, MONGO_URL, SMTP_URL,
 * ENTRA_LOGIN_BASE_URL, LOGS_INGESTION_AUTHORITY_URL) is not started: the app uses the existing one.
 */
import path from 'node:path';
import { loadConfigOrExit } from '../lib/config';
import { ferretdbPostgresUrl, postgresSpec, prepareCluster, prepareFerretdbDatabase, waitForPostgres } from './lib/postgres';
import { dataDir, ferretdbSpec, portOpen, temporalDevServerSpec, waitForPort, type ServiceSpec } from './lib/services';
import { Supervisor } from './lib/supervisor';
import { ROOT } from './lib/tools';

const DEV_DEFAULTS = {
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  MONGO_URL: 'mongodb://127.0.0.1:27017/entrada',
  SMTP_URL: 'smtp://127.0.0.1:1025',
  ENTRA_LOGIN_BASE_URL: 'http://127.0.0.1:8300',
  LOGS_INGESTION_AUTHORITY_URL: 'http://127.0.0.1:8310',
  // The Entra emulator's loopback DNS server (ENTRA_EMULATOR_DNS_PORT) serves domain proofs.
  DNS_SERVERS: '127.0.0.1:8353',
};
const UI_PORTS = { temporal: 8233, inbox: 1080 };
/** The embedded FerretDB's PostgreSQL (not 5432, which a system PostgreSQL may hold). */
const POSTGRES_PORT = 5434;

const env = { ...process.env } as Record<string, string>;
const embedded = Object.fromEntries(Object.entries(DEV_DEFAULTS).map(([k, v]) => [k, !process.env[k] || process.env[k] === v]));
for (const [k, v] of Object.entries(DEV_DEFAULTS)) env[k] ??= v;
const config = loadConfigOrExit(env);
const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name);

const supervisor = new Supervisor({ cwd: ROOT, env });
const run = (name: string, command: string, args: string[], opts: Pick<ServiceSpec, 'user' | 'stopSignal'> = {}) =>
  supervisor.run(name, command, args, opts);
let stopping = false;

async function startService(spec: ServiceSpec) {
  if (await portOpen(spec.port))
    throw new Error(`port ${spec.port} is taken: is another ${spec.name} running? Stop it or point the variable at it.`);
  const child = run(spec.name, spec.command, spec.args, spec);
  await waitForPort(spec.port, spec.name, 60_000, child);
}

/** PostgreSQL (its cluster in .data/dev/postgres, created on first start), then FerretDB on it. */
async function startDatabase(mongoPort: number) {
  const cluster = { dir: `${dataDir('dev')}/postgres`, port: POSTGRES_PORT };
  prepareCluster(cluster);
  await startService(postgresSpec(cluster));
  await waitForPostgres(cluster.port);
  prepareFerretdbDatabase(cluster.port);
  await startService(ferretdbSpec({ port: mongoPort, postgresUrl: ferretdbPostgresUrl(cluster.port) }));
}

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  // Reverse order: app first, then the services it uses.
  await supervisor.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function main() {
  const dev = dataDir('dev');
  const port = (address: string) => Number(address.split(':').pop());
  await Promise.all([
    embedded.TEMPORAL_ADDRESS &&
      startService(
        temporalDevServerSpec({
          port: port(config.TEMPORAL_ADDRESS),
          uiPort: UI_PORTS.temporal,
          dbFile: `${dev}/temporal.db`,
          namespace: config.TEMPORAL_NAMESPACE,
        }),
      ),
    embedded.MONGO_URL && startDatabase(port(new URL(config.MONGO_URL).host)),
    embedded.SMTP_URL &&
      startService({
        name: 'maildev',
        port: Number(new URL(config.SMTP_URL).port),
        command: bin('maildev'),
        args: [
          '--smtp',
          new URL(config.SMTP_URL).port,
          '--web',
          String(UI_PORTS.inbox),
          '--ip',
          '127.0.0.1',
          '--web-ip',
          '127.0.0.1',
          '--mail-directory',
          dataDir('dev', 'mail'),
        ],
      }),
    embedded.ENTRA_LOGIN_BASE_URL &&
      (env.ENTRA_EMULATOR_STATE ??= `${dev}/entra-emulator.json`) &&
      // Demo tenants Contoso and Fabrikam with a few users; merged, so restarts keep state.
      (env.ENTRA_EMULATOR_SEED ??= 'emulator/seed.example.json') &&
      startService({
        name: 'entra',
        port: Number(new URL(config.ENTRA_LOGIN_BASE_URL).port),
        command: bin('tsx'),
        args: ['emulator/main.ts'],
      }),
    embedded.LOGS_INGESTION_AUTHORITY_URL &&
      (env.LOGS_INGESTION_EMULATOR_PORT ??= new URL(config.LOGS_INGESTION_AUTHORITY_URL).port) &&
      startService({
        name: 'monitor',
        port: Number(env.LOGS_INGESTION_EMULATOR_PORT),
        command: bin('tsx'),
        args: ['emulator/logs-ingestion/main.ts'],
      }),
  ]);
  run('worker', bin('tsx'), ['worker/main.ts']);
  const web = run('web', bin('tsx'), ['web/main.ts']);
  await waitForPort(config.WEB_PORT, 'web', 60_000, web);

  const line = (label: string, url: string, embeddedHere = true) => `  ${label.padEnd(16)} ${url}${embeddedHere ? '' : '  (external)'}`;
  console.log(
    [
      '',
      '\x1b[1mEntrada is running\x1b[0m',
      line('Web app', config.PUBLIC_BASE_URL),
      line('Staff console', `${config.PUBLIC_BASE_URL}/staff`),
      line('Temporal UI', config.TEMPORAL_UI_URL, embedded.TEMPORAL_ADDRESS),
      line('Inbox (MailDev)', `http://127.0.0.1:${UI_PORTS.inbox}`, embedded.SMTP_URL),
      line('Entra emulator', config.ENTRA_LOGIN_BASE_URL, embedded.ENTRA_LOGIN_BASE_URL),
      line(
        'Logs Ingestion',
        `${config.LOGS_INGESTION_AUTHORITY_URL}  (Azure Monitor emulator: rows received)`,
        embedded.LOGS_INGESTION_AUTHORITY_URL,
      ),
      line('MongoDB', config.MONGO_URL, embedded.MONGO_URL),
      ...(embedded.MONGO_URL ? [line('  on PostgreSQL', `${ferretdbPostgresUrl(POSTGRES_PORT)} (FerretDB's tables; psql for plans)`)] : []),
      '',
      '  First time? Create a staff user:  npm run cli -- staff:create you@example.com',
      '  Demo data:                         npm run cli -- seed',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(`start: ${err.message}`);
  void stop(1);
});
