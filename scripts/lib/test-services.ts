import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { dataDir, ferretdbSpec, portOpen, startService, temporalDevServerSpec, waitForPort, type ServiceSpec } from './services';
import { ferretdbPostgresUrl, postgresSpec, prepareCluster, prepareFerretdbDatabase, waitForPostgres } from './postgres';
import { ROOT } from './tools';

/**
 * Test services listen on their own ports so they coexist with `npm start`'s; each port can be
 * moved by its variable (two checkouts testing side by side).
 */
const port = (name: string, fallback: number) => Number(process.env[name] || fallback);
export const TEST_PORTS = {
  temporal: port('ENTRADA_TEST_TEMPORAL_PORT', 7244),
  mongo: port('ENTRADA_TEST_MONGO_PORT', 27044),
  postgres: port('ENTRADA_TEST_POSTGRES_PORT', 5444),
};
export const TEST_TEMPORAL_ADDRESS = `127.0.0.1:${TEST_PORTS.temporal}`;
export const TEST_MONGO_BASE = `mongodb://127.0.0.1:${TEST_PORTS.mongo}`;

/**
 * Starts the real Temporal dev server (in-memory) and FerretDB on PostgreSQL for a test run,
 * or reuses whatever already listens on their ports (another run, or `npm run test:services`).
 * Returns a stop function that only stops what this call started, last started first.
 */
export async function ensureTestServices(): Promise<() => Promise<void>> {
  const logs = dataDir('logs');
  const started: { child: ChildProcess; spec: ServiceSpec }[] = [];
  const start = async (spec: ServiceSpec, what: string) => {
    const child = startService(spec);
    started.push({ child, spec });
    await waitForPort(spec.port, what, 60_000, child);
  };
  try {
    if (!(await portOpen(TEST_PORTS.temporal))) {
      await start(temporalDevServerSpec({ port: TEST_PORTS.temporal, logFile: `${logs}/test-temporal.log` }), 'Temporal dev server');
    }
    if (!(await portOpen(TEST_PORTS.mongo))) {
      if (!(await portOpen(TEST_PORTS.postgres))) {
        const cluster = { dir: path.join(ROOT, '.data', `test-postgres-${TEST_PORTS.postgres}`, 'postgres'), port: TEST_PORTS.postgres };
        prepareCluster(cluster);
        await start(postgresSpec(cluster, { logFile: `${logs}/test-postgres.log`, scratch: true }), 'PostgreSQL');
        await waitForPostgres(cluster.port);
        prepareFerretdbDatabase(cluster.port, { reset: true });
      }
      await start(
        ferretdbSpec({
          port: TEST_PORTS.mongo,
          postgresUrl: ferretdbPostgresUrl(TEST_PORTS.postgres),
          logFile: `${logs}/test-ferretdb.log`,
        }),
        'FerretDB',
      );
    }
  } catch (err) {
    await stopAll(started);
    throw err;
  }
  return () => stopAll(started);
}

async function stopAll(started: { child: ChildProcess; spec: ServiceSpec }[]): Promise<void> {
  for (const { child, spec } of [...started].reverse()) {
    if (child.exitCode !== null || child.signalCode) continue;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(spec.stopSignal ?? 'SIGTERM');
    });
  }
}
