import type mongoose from 'mongoose';

/**
 * Watches every command a client sends and collects the ones with write concern `w: 0`.
 * FerretDB answers unacknowledged writes anyway, and the unread reply then answers the next
 * command on that pooled connection (crossed replies), so Entrada must never send one.
 * Needs a client connected with `monitorCommands: true`.
 */
export function watchUnacknowledgedWrites(client: mongoose.mongo.MongoClient): () => string[] {
  const seen: string[] = [];
  client.on('commandStarted', (event) => {
    const wc = (event.command as { writeConcern?: { w?: unknown } }).writeConcern;
    // The driver's own `endSessions` at close is w:0 too; the pool closes right after it.
    if (wc && wc.w === 0 && event.commandName !== 'endSessions')
      seen.push(`${event.commandName} on ${event.databaseName}: ${JSON.stringify(event.command).slice(0, 200)}`);
  });
  return () => seen;
}
