import mongoose from 'mongoose';

/**
 * The database commands the app sends to this file's database while `fn` runs, as
 * `<command> <collection>`, counted with the driver's command monitoring (the test env connects
 * with `monitorCommands`). `settleMs` keeps counting after `fn`, for work the app does once its
 * response is out.
 */
export async function commandsDuring(fn: () => Promise<unknown>, settleMs = 0): Promise<string[]> {
  const seen: string[] = [];
  const db = mongoose.connection.db!.databaseName;
  const listener = (e: mongoose.mongo.CommandStartedEvent) => {
    if (e.databaseName === db) seen.push(`${e.commandName} ${String(e.command[e.commandName])}`);
  };
  const client = mongoose.connection.getClient();
  client.on('commandStarted', listener);
  try {
    await fn();
    if (settleMs) await new Promise((r) => setTimeout(r, settleMs));
  } finally {
    client.off('commandStarted', listener);
  }
  return seen;
}
