import mongoose from 'mongoose';

/** How long to keep counting after `fn`: a fixed time, and/or until the commands since `fn` ended show something. */
export interface Settle {
  ms?: number;
  /** Keeps counting until this holds for the commands sent after `fn` returned (at most `timeoutMs`). */
  until?: (after: string[]) => boolean;
  timeoutMs?: number;
}

/**
 * The database commands the app sends to this file's database while `fn` runs, as
 * `<command> <collection>`, counted with the driver's command monitoring (the test env connects
 * with `monitorCommands`). `settle` keeps counting after `fn`, for work the app does once its
 * response is out: a number is milliseconds.
 */
export async function commandsDuring(fn: () => Promise<unknown>, settle: number | Settle = 0): Promise<string[]> {
  const { ms = 0, until, timeoutMs = 15_000 } = typeof settle === 'number' ? { ms: settle } : settle;
  const seen: string[] = [];
  const db = mongoose.connection.db!.databaseName;
  const listener = (e: mongoose.mongo.CommandStartedEvent) => {
    if (e.databaseName === db) seen.push(`${e.commandName} ${String(e.command[e.commandName])}`);
  };
  const client = mongoose.connection.getClient();
  client.on('commandStarted', listener);
  try {
    await fn();
    const ended = seen.length;
    const started = Date.now();
    if (ms) await new Promise((r) => setTimeout(r, ms));
    // A timer in the app (e.g. the rate limits' share) runs late on a loaded machine: wait for it, bounded.
    while (until && !until(seen.slice(ended)) && Date.now() - started < timeoutMs) await new Promise((r) => setTimeout(r, 50));
  } finally {
    client.off('commandStarted', listener);
  }
  return seen;
}
