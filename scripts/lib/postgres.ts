import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ServiceSpec } from './services';
import { ROOT, toolPaths } from './tools';

/**
 * The PostgreSQL cluster under FerretDB: Debian's PostgreSQL 15 binaries (found by
 * scripts/provision.sh), a data directory of its own under `.data/`, run as the `postgres`
 * user when we are root (PostgreSQL refuses to run as root), otherwise as ourselves.
 */
export const FERRETDB_DATABASE = 'ferretdb';
const MIRROR_SQL = path.join(ROOT, 'scripts/postgres/index-mirror.sql');

export interface PostgresCluster {
  /** `.data/<name>/postgres`: the cluster; its socket directory sits beside it. */
  dir: string;
  port: number;
}

function bin(name: string): string {
  const dir = toolPaths().postgresBin;
  if (!dir) throw new Error('Run `npm run provision` again: .tools/paths.env predates PostgreSQL.');
  return path.join(dir, name);
}

/** The user the cluster runs as: `postgres` when we are root, else undefined (ourselves). */
function clusterUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const [uid, gid] = [ids('-u'), ids('-g')];
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error("running as root needs a `postgres` user to run PostgreSQL as (Debian's postgresql-common creates it)");
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/**
 * Every parent of the data directory must be traversable by the cluster's user. When we are
 * root and a parent is not (a checkout under a 0750 directory), it gets o+x: traversal only,
 * no listing or reading.
 */
function makeReachable(dir: string, uid: number): void {
  for (let p = path.dirname(dir); ; p = path.dirname(p)) {
    const st = fs.statSync(p);
    if (st.uid !== uid && !(st.mode & 0o001)) {
      fs.chmodSync(p, (st.mode & 0o7777) | 0o001);
      console.warn(`postgres: made ${p} traversable (o+x) so the postgres user can reach its data directory`);
    }
    if (p === path.dirname(p)) return;
  }
}

function ownedDir(dir: string, user: { uid: number; gid: number } | undefined): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(dir, user.uid, user.gid);
}

/** Unix sockets have a ~107-byte path limit: a deep checkout gets TCP only. */
function socketDir(cluster: PostgresCluster): string {
  const dir = `${cluster.dir}-socket`;
  return `${dir}/.s.PGSQL.${cluster.port}`.length < 100 ? dir : '';
}

/** Creates the cluster once (initdb); later calls find it and do nothing. */
export function prepareCluster(cluster: PostgresCluster): void {
  const user = clusterUser();
  fs.mkdirSync(path.dirname(cluster.dir), { recursive: true });
  if (user) makeReachable(cluster.dir, user.uid);
  const sockets = socketDir(cluster);
  if (sockets) ownedDir(sockets, user);
  if (fs.existsSync(path.join(cluster.dir, 'PG_VERSION'))) return;
  fs.rmSync(cluster.dir, { recursive: true, force: true }); // a half-made cluster from an interrupted initdb
  ownedDir(cluster.dir, user);
  // Local connections are trusted: the cluster listens on 127.0.0.1 only, like FerretDB itself.
  const args = ['-D', cluster.dir, '--locale=C.UTF-8', '--encoding=UTF8', '--auth=trust', '--username=postgres', '--no-instructions'];
  const res = spawnSync(bin('initdb'), args, { ...user, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`initdb failed for ${cluster.dir}:\n${res.stderr || res.stdout || res.error}`);
}

/**
 * The server itself. `plan_cache_mode = force_custom_plan`: FerretDB's pushed-down filter is a
 * prepared statement whose field name is a bind parameter (`_jsonb->$1 @> $2`); only a custom
 * plan can match it to an expression index, and under `auto` PostgreSQL settles on the generic
 * plan (a Seq Scan). `enable_seqscan = off`: plan with an index whenever one can serve the
 * query (a query no index serves still scans). The planner costs a row's filter as two cheap
 * operators, but `_jsonb->'f'` first detoasts the whole document: on the audit pages (one
 * ~110 KB document per 100 events, its heap a few pages of TOAST pointers) it chose a Seq Scan
 * for a look-up by `_id` below a few thousand pages, which read every page (300 pages: 37-54 ms,
 * 1,800 buffers; the GIN index: under 1 ms). The same holds for any small table of large
 * documents, and the scan guard (test/data/scan-guard.test.ts) checks the plans under this
 * setting. `scratch` (test services, benchmarks) trades durability for speed.
 */
export function postgresSpec(cluster: PostgresCluster, opts: { logFile?: string; scratch?: boolean } = {}): ServiceSpec {
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    port: cluster.port,
    unix_socket_directories: socketDir(cluster),
    max_connections: 200, // FerretDB's pool takes up to 50 per process
    plan_cache_mode: 'force_custom_plan',
    enable_seqscan: 'off',
    shared_buffers: '256MB',
    ...(opts.scratch ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
  };
  return {
    name: 'postgres',
    port: cluster.port,
    command: bin('postgres'),
    args: ['-D', cluster.dir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    logFile: opts.logFile,
    user: clusterUser(),
    // SIGINT is PostgreSQL's "fast" shutdown; SIGTERM would wait for every client to leave.
    stopSignal: 'SIGINT',
  };
}

function psql(port: number, database: string, args: string[]) {
  const base = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database];
  return spawnSync(bin('psql'), [...base, ...args], { encoding: 'utf8' });
}

/** One statement through psql, as the superuser; its output, unaligned. */
export function sql(port: number, database: string, statement: string): string {
  const res = psql(port, database, ['-At', '-c', statement]);
  if (res.status !== 0) throw new Error(`psql: ${statement}: ${res.stderr || res.error}`);
  return res.stdout.trim();
}

/** Waits until the server accepts queries (it opens its port before recovery is done). */
export async function waitForPostgres(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (psql(port, 'postgres', ['-c', 'SELECT 1']).status !== 0) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL on port ${port} did not accept queries within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * FerretDB's database, with the index mirror installed (scripts/postgres/index-mirror.sql).
 * `reset` drops and recreates it (test services start from nothing; dropping the database
 * rather than deleting files keeps the cluster valid).
 */
export function prepareFerretdbDatabase(port: number, opts: { reset?: boolean } = {}): void {
  if (opts.reset) sql(port, 'postgres', `DROP DATABASE IF EXISTS ${FERRETDB_DATABASE} WITH (FORCE)`);
  if (!sql(port, 'postgres', `SELECT 1 FROM pg_database WHERE datname = '${FERRETDB_DATABASE}'`))
    sql(port, 'postgres', `CREATE DATABASE ${FERRETDB_DATABASE}`);
  const res = psql(port, FERRETDB_DATABASE, ['--single-transaction', '-f', MIRROR_SQL]);
  if (res.status !== 0) throw new Error(`installing the index mirror failed: ${res.stderr || res.error}`);
}

export const ferretdbPostgresUrl = (port: number) => `postgres://postgres@127.0.0.1:${port}/${FERRETDB_DATABASE}`;
