/**
 * `npm start`'s runner (scripts/dev.ts) keeps the stack up: a crashed worker or web process is
 * restarted with backoff, logged, while the others keep running; Ctrl-C stops every process of
 * the tree. Temporal, the database, SMTP and Entra are the test ones (external to the runner),
 * so it runs the worker and the web app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import readline from 'node:readline';
import { afterAll, beforeAll, expect, onTestFailed, test } from 'vitest';
import { ROOT } from '../../scripts/lib/tools';
import { until } from '../support/until';
import { startEntra, type Entra } from '../support/entra';
import { createTestEnv, type TestEnv } from '../support/env';

let entra: Entra;
let env: TestEnv;
let runner: ChildProcess;
let webUrl: string;
const lines: string[] = [];

beforeAll(async () => {
  entra = await startEntra();
  env = await createTestEnv({ ENTRA_LOGIN_BASE_URL: entra.url });
  const port = await freePort();
  webUrl = `http://127.0.0.1:${port}`;
  runner = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env.envVars, WEB_PORT: String(port), PUBLIC_BASE_URL: webUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const s of [runner.stdout!, runner.stderr!])
    // eslint-disable-next-line no-control-regex -- strips the runner's colour codes
    readline.createInterface({ input: s }).on('line', (l) => lines.push(l.replace(/\x1b\[[0-9;]*m/g, '')));
  await until(withOutput('the banner'), () => lines.some((l) => l.includes('Entrada is running')), 120_000);
});
afterAll(async () => {
  if (runner?.exitCode === null) runner.kill('SIGKILL');
  await env?.teardown();
  await entra?.close();
});

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** A wait's name, with the last lines the processes printed. */
const withOutput = (what: string) => () => `${what}; output:\n${lines.slice(-30).join('\n')}`;
const said = (name: string, text: string | RegExp) =>
  lines.filter((l) => l.startsWith(name.padEnd(9) + '| ') && (typeof text === 'string' ? l.includes(text) : text.test(l)));
const pids = (name: string) => said(name, /\| started \(pid \d+\)$/).map((l) => Number(/pid (\d+)/.exec(l)![1]));
const alive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};
const healthy = async () => (await fetch(`${webUrl}/healthz`).catch(() => undefined))?.status === 200;

test('a crashed worker is restarted with growing delays while the web app keeps answering; a crashed web app is restarted; Ctrl-C leaves nothing running', async () => {
  onTestFailed(() => console.log(`runner output:\n${lines.join('\n')}`));
  await until(withOutput('the worker polling'), () => said('worker', 'worker: polling').length === 1, 120_000);
  const [web] = pids('web');
  const [worker] = pids('worker');
  expect(await healthy()).toBe(true);

  process.kill(-worker, 'SIGKILL');
  await until(withOutput('the first restart notice'), () => said('worker', 'restarting in 1 s (restart 1)').length === 1);
  expect(await healthy()).toBe(true); // the others keep running
  await until(
    withOutput('the restarted worker polling'),
    () => pids('worker').length === 2 && said('worker', 'worker: polling').length === 2,
    120_000,
  );

  process.kill(-pids('worker')[1], 'SIGKILL');
  await until(withOutput('the second, longer delay'), () => said('worker', 'restarting in 2 s (restart 2)').length === 1);
  await until(
    withOutput('the worker polling again'),
    () => pids('worker').length === 3 && said('worker', 'worker: polling').length === 3,
    120_000,
  );
  expect(pids('web')).toEqual([web]);
  expect(said('web', 'exited')).toEqual([]);

  process.kill(-web, 'SIGKILL');
  await until(withOutput('the web app restarted'), () => pids('web').length === 2);
  await until(withOutput('the web restart notice'), () => said('web', 'restarting in 1 s (restart 1)').length === 1);
  await until(withOutput('the web app healthy again'), healthy);

  const groups = [...pids('worker'), ...pids('web')];
  runner.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => runner.once('exit', resolve));
  expect(code).toBe(0);
  expect(groups.filter(alive)).toEqual([]);
  expect(await healthy()).toBe(false);
}, 240_000);
