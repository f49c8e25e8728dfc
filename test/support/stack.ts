/**
 * One call per test file for its running services and signed-in people:
 *
 *   const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test' });
 *
 * starts, before the file's tests, the Entra emulator (ENTRA_LOGIN_BASE_URL points at it), the
 * Logs Ingestion emulator if asked (`monitor: true`; LOGS_INGESTION_AUTHORITY_URL points at it),
 * the file's own namespace, database and inbox (createTestEnv), the real workers, the web app,
 * and a staff member signed in through the form; after them it stops all of it. A file adds
 * its own `beforeAll` after this call for what only it needs (tenants, users, a browser).
 */
import { afterAll, beforeAll } from 'vitest';
import { startEntra, type Entra } from './entra';
import { createTestEnv, type RunningWorkers, type TestEnv } from './env';
import type { HttpClient } from './http-client';
import { startMonitor, type Monitor } from './monitor';
import { createUser, signedIn } from './people';

export interface StackOptions {
  /** Config overrides for this file. */
  config?: Record<string, string>;
  /** The Entra emulator. */
  entra?: boolean;
  /** The Logs Ingestion (Azure Monitor) emulator, for audit streams. */
  monitor?: boolean;
  /** The real workers on the base and purge queues. */
  workers?: boolean;
  /** The web app on its port (default on; off for files that test below it). */
  web?: boolean;
  /** A staff member, created and signed in as `stack.staff`. */
  staff?: string | { email: string; displayName: string };
}

export interface Stack {
  readonly env: TestEnv;
  readonly entra: Entra;
  readonly monitor: Monitor;
  readonly workers: RunningWorkers;
  readonly staff: HttpClient;
}

type Parts = { env: TestEnv; entra?: Entra; monitor?: Monitor; workers?: RunningWorkers; staff?: HttpClient };

export function useStack(options: StackOptions = {}): Stack {
  let parts: Parts | undefined;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    parts = await startStack(options, stops);
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  const part = <K extends keyof Parts>(name: K): NonNullable<Parts[K]> => {
    if (!parts) throw new Error('the stack starts in beforeAll: use it inside hooks and tests');
    const value = parts[name];
    if (value === undefined) throw new Error(`this file's useStack() did not ask for ${name}`);
    return value as NonNullable<Parts[K]>;
  };
  return {
    get env() {
      return part('env');
    },
    get entra() {
      return part('entra');
    },
    get monitor() {
      return part('monitor');
    },
    get workers() {
      return part('workers');
    },
    get staff() {
      return part('staff');
    },
  };
}

/** Starts the parts in order; each one's stop is recorded as soon as it runs, so a failed start still cleans up. */
async function startStack(options: StackOptions, stops: (() => Promise<void>)[]): Promise<Parts> {
  const entra = options.entra ? await startEntra() : undefined;
  if (entra) stops.push(() => entra.close());
  const monitor = options.monitor ? await startMonitor() : undefined;
  if (monitor) stops.push(() => monitor.close());
  const env = await createTestEnv({
    ...(entra ? { ENTRA_LOGIN_BASE_URL: entra.url, DNS_SERVERS: entra.dnsServer } : {}),
    ...(monitor ? { LOGS_INGESTION_AUTHORITY_URL: monitor.url } : {}),
    ...options.config,
  });
  stops.push(() => env.teardown());
  const workers = options.workers ? await env.startWorkers() : undefined;
  if (options.web !== false) await env.startWeb();
  let staff: HttpClient | undefined;
  if (options.staff) {
    const { email, displayName } = typeof options.staff === 'string' ? { email: options.staff, displayName: undefined } : options.staff;
    await createUser({ email, isStaff: true, displayName });
    staff = await signedIn(env.baseUrl, email);
  }
  return { env, entra, monitor, workers, staff };
}
