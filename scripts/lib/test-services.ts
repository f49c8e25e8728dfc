import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { dataDir, ferretdbSpec, portOpen, startService, temporalDevServerSpec, waitForPort } from './services';

/** Test services listen on their own ports so they coexist with `npm start`'s. */
export const TEST_TEMPORAL_ADDRESS = '127.0.0.1:7244';
export const TEST_MONGO_BASE = 'mongodb://127.0.0.1:27044';
const TEMPORAL_PORT = 7244;
const FERRET_PORT = 27044;

/**
 * Starts the real Temporal dev server (in-memory) and FerretDB for a test run, or reuses
 * them if something already listens on their ports (another run, or `npm run test:services`).
 * Returns a stop function that only stops what this call started.
 */
export async function ensureTestServices(): Promise<() => Promise<void>> {
  const logs = dataDir('logs');
  const started: ChildProcess[] = [];
  if (!(await portOpen(TEMPORAL_PORT))) {
    const child = startService(temporalDevServerSpec({ port: TEMPORAL_PORT, logFile: `${logs}/test-temporal.log` }));
    started.push(child);
    await waitForPort(TEMPORAL_PORT, 'Temporal dev server', 60_000, child);
  }
  if (!(await portOpen(FERRET_PORT))) {
    const dir = dataDir('test-ferretdb');
    fs.rmSync(dir, { recursive: true, force: true });
    const child = startService(ferretdbSpec({ port: FERRET_PORT, dataDir: dir, logFile: `${logs}/test-ferretdb.log` }));
    started.push(child);
    await waitForPort(FERRET_PORT, 'FerretDB', 30_000, child);
  }
  return async () => {
    await Promise.all(
      started.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  };
}
