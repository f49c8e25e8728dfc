import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { temporal as proto } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../../lib/contracts/shared';
import { ROOT, toolPaths } from './tools';

/** One long-running local service (Temporal dev server, FerretDB...). */
export interface ServiceSpec {
  name: string;
  port: number;
  command: string;
  args: string[];
  /** Where its output goes; the dev runner instead pipes it with a prefix. */
  logFile?: string;
  /** Run as this user (PostgreSQL, when we are root). */
  user?: { uid: number; gid: number };
  /** How to stop it cleanly (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => socket.destroy() && resolve(true));
    socket.once('error', () => resolve(false));
  });
}

export async function waitForPort(port: number, what: string, timeoutMs = 60_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await portOpen(port)) return;
    if (child && child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before listening on ${port}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not listen on port ${port} within ${timeoutMs / 1000}s`);
}

export function startService(spec: ServiceSpec): ChildProcess {
  const out = spec.logFile ? fs.openSync(spec.logFile, 'a') : 'pipe';
  return spawn(spec.command, spec.args, { cwd: ROOT, stdio: ['ignore', out, out], ...spec.user });
}

export function temporalDevServerSpec(opts: {
  port: number;
  uiPort?: number;
  dbFile?: string;
  namespace?: string;
  logFile?: string;
}): ServiceSpec {
  const { temporalCli } = toolPaths();
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'error'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.namespace && opts.namespace !== 'default') args.push('--namespace', opts.namespace);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  return { name: 'temporal', port: opts.port, command: temporalCli, args, logFile: opts.logFile };
}

/** FerretDB on the PostgreSQL backend (scripts/lib/postgres.ts runs the cluster). */
export function ferretdbSpec(opts: { port: number; postgresUrl: string; logFile?: string }): ServiceSpec {
  return {
    name: 'ferretdb',
    port: opts.port,
    command: toolPaths().ferretdb,
    args: ['-listen-addr', `127.0.0.1:${opts.port}`, '-postgresql-url', opts.postgresUrl, '-log-level', 'error'],
    logFile: opts.logFile,
  };
}

export const dataDir = (...parts: string[]) => {
  const dir = path.join(ROOT, '.data', ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};

/** The custom search attributes as `operatorService.addSearchAttributes` takes them (test and benchmark namespaces). */
export const searchAttributeTypes = () =>
  Object.fromEntries(
    Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [
      name,
      type === 'Int'
        ? proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT
        : proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    ]),
  );
