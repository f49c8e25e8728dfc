/**
 * Keeps the dev stack's processes running (`npm start`, scripts/dev.ts). A process that exits
 * on its own is started again after a delay that doubles with each quick exit (1 s, 2 s, 4 s …
 * 30 s; back to 1 s once it stayed up a minute), logged, while the others keep running.
 * `stop()` ends them all: each runs in its own process group (tsx runs the script in a
 * process of its own), so its stop signal (SIGTERM unless told) reaches every process of the
 * group, SIGKILL after 10 s, and it returns once every group is empty: nothing is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
const STABLE_AFTER_MS = 60_000;
const KILL_AFTER_MS = 10_000;
const COLORS = [36, 35, 33, 32, 34, 31, 90];

export interface RunOptions {
  /** Run as this user (PostgreSQL, when we are root). */
  user?: { uid: number; gid: number };
  /** How to stop it cleanly (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
}

interface Supervised {
  name: string;
  prefix: string;
  stopSignal: NodeJS.Signals;
  start: () => ChildProcess;
  child: ChildProcess;
  /** Process groups this service has had (one per start); emptied groups are dropped. */
  groups: Set<number>;
  restarts: number;
  delayMs: number;
  timer?: NodeJS.Timeout;
}

export class Supervisor {
  private readonly services: Supervised[] = [];
  private stopping = false;

  constructor(private readonly opts: { cwd: string; env: NodeJS.ProcessEnv; out?: (line: string) => void }) {}

  /** Starts `command` and keeps it running; returns its first process (e.g. to wait for its port). */
  run(name: string, command: string, args: string[], opts: RunOptions = {}): ChildProcess {
    const prefix = `\x1b[${COLORS[this.services.length % COLORS.length]}m${name.padEnd(9)}|\x1b[0m `;
    const service: Supervised = {
      name,
      prefix,
      stopSignal: opts.stopSignal ?? 'SIGTERM',
      start: () => this.spawn(service, command, args, opts.user),
      child: undefined as never,
      groups: new Set(),
      restarts: 0,
      delayMs: FIRST_DELAY_MS,
    };
    this.services.push(service);
    return service.start();
  }

  private spawn(service: Supervised, command: string, args: string[], user: RunOptions['user']): ChildProcess {
    const child = spawn(command, args, {
      cwd: this.opts.cwd,
      env: this.opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...user,
    });
    const startedAt = Date.now();
    service.child = child;
    if (child.pid) service.groups.add(child.pid);
    for (const stream of [child.stdout!, child.stderr!])
      readline.createInterface({ input: stream }).on('line', (line) => this.print(service, line));
    this.print(service, `started (pid ${child.pid})`);
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      // A process that ran for a while crashed for a new reason: start over at the short delay.
      if (Date.now() - startedAt >= STABLE_AFTER_MS) service.delayMs = FIRST_DELAY_MS;
      const delay = service.delayMs;
      service.delayMs = Math.min(delay * 2, MAX_DELAY_MS);
      service.restarts++;
      this.print(service, `exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s (restart ${service.restarts})`);
      service.timer = setTimeout(() => {
        killGroup(child.pid, 'SIGKILL'); // whatever the crashed process left running
        for (const g of service.groups) if (!groupAlive(g)) service.groups.delete(g);
        service.start();
      }, delay);
    });
    return child;
  }

  /** Its stop signal to every group, newest service first; SIGKILL to what is left after 10 s. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const s of this.services) clearTimeout(s.timer);
    for (const s of [...this.services].reverse()) for (const g of s.groups) killGroup(g, s.stopSignal);
    const groups = this.services.flatMap((s) => [...s.groups]);
    const deadline = Date.now() + KILL_AFTER_MS;
    while (groups.some(groupAlive)) {
      if (Date.now() > deadline) groups.forEach((g) => killGroup(g, 'SIGKILL'));
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private print(service: Supervised, line: string): void {
    (this.opts.out ?? ((l) => process.stdout.write(l + '\n')))(service.prefix + line);
  }
}

function killGroup(pgid: number | undefined, signal: NodeJS.Signals): void {
  try {
    if (pgid) process.kill(-pgid, signal);
  } catch {
    /* the group is already gone */
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
