import mongoose from 'mongoose';
type CommandStartedEvent = mongoose.mongo.CommandStartedEvent;
type Document = mongoose.mongo.Document;

/**
 * What the app asks the database, and how FerretDB-on-PostgreSQL would answer it: commands
 * are recorded with the driver's command monitoring (the test env connects with
 * `monitorCommands=true`), then each filter is put to FerretDB's `explain`, which runs
 * PostgreSQL's EXPLAIN on the very statement FerretDB builds for it.
 */
export interface RecordedCommand {
  name: string;
  collection: string;
  /** The filter(s) the command selects documents with (one per statement of an update/delete). */
  filters: Document[];
  sort?: Document;
}

const FILTERS: Record<string, (c: Document) => Document[]> = {
  find: (c) => [c.filter ?? {}],
  count: (c) => [c.query ?? {}],
  distinct: (c) => [c.query ?? {}],
  findAndModify: (c) => [c.query ?? {}],
  update: (c) => c.updates.map((u: Document) => u.q),
  delete: (c) => c.deletes.map((d: Document) => d.q),
  aggregate: (c) => [c.pipeline?.[0]?.$match ?? {}],
};

/** Records every document-selecting command sent to the connected database until `stop()`. */
export function recordCommands(): { commands: RecordedCommand[]; stop(): RecordedCommand[] } {
  const client = mongoose.connection.getClient();
  const dbName = mongoose.connection.db!.databaseName;
  const commands: RecordedCommand[] = [];
  const listener = (e: CommandStartedEvent) => {
    const filters = FILTERS[e.commandName];
    if (!filters || e.databaseName !== dbName) return;
    commands.push({ name: e.commandName, collection: String(e.command[e.commandName]), filters: filters(e.command), sort: e.command.sort });
  };
  client.on('commandStarted', listener);
  return {
    commands,
    stop() {
      client.off('commandStarted', listener);
      return commands;
    },
  };
}

export interface Scan {
  command: string;
  collection: string;
  filter: string;
  plan: string;
}

/**
 * Every recorded filter whose PostgreSQL plan reads a table sequentially, except on `bounded`
 * collections: those whose size the code bounds (a list of names), not the data.
 */
export async function scansIn(commands: RecordedCommand[], bounded: string[] = []): Promise<Scan[]> {
  const db = mongoose.connection.db!;
  const seen = new Set<string>();
  const scans: Scan[] = [];
  for (const c of commands.filter((c) => !bounded.includes(c.collection))) {
    for (const filter of c.filters) {
      const key = JSON.stringify([c.collection, filter]);
      if (seen.has(key)) continue;
      seen.add(key);
      const explained = await db.command({ explain: { find: c.collection, filter }, verbosity: 'queryPlanner' });
      const planner = (explained.queryPlanner ?? {}) as Document;
      // An empty planner: the collection does not exist yet. Anything but PostgreSQL's plan: not this backend.
      if (Object.keys(planner).length && !planner.Plan)
        throw new Error(
          `explain gave no PostgreSQL plan: the scan guard needs FerretDB on PostgreSQL (got ${JSON.stringify(planner).slice(0, 200)})`,
        );
      const plan = planner.Plan as Document | undefined;
      if (plan && nodeTypes(plan).includes('Seq Scan'))
        scans.push({ command: c.name, collection: c.collection, filter: brief(filter), plan: nodeTypes(plan).join(' > ') });
    }
  }
  return scans;
}

/** Long `$in` lists cut short: the shape is what identifies the query. */
const brief = (filter: Document) => JSON.stringify(filter).replace(/(\[(?:"[^"]*",){2})[^\]]*\]/g, '$1…]');

const nodeTypes = (node: Document): string[] => [node['Node Type'], ...((node.Plans as Document[] | undefined) ?? []).flatMap(nodeTypes)];
