import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Config } from '../lib/config';
import { connectDb, disconnectDb } from '../lib/db';
import { emailSchema } from '../lib/accounts/validation';

/** One CLI command: `npm run cli -- <name> [args]`. */
export interface CliCommand {
  /** e.g. `staff:token <email> [--label <text>]` */
  usage: string;
  summary: string;
  run(args: string[], ctx: CliContext): Promise<void>;
}

export interface CliContext {
  config: Config;
  /** Where results go (stdout); diagnostics go to stderr. */
  print(line?: string): void;
}

/** Bad input: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict option parsing: an unknown flag or a missing value is a UsageError, not a guess. */
export function parseCommandArgs<O extends Options>(args: string[], options: O, usage: string, positionals: { min: number; max: number }) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message, usage);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min) throw new UsageError('Missing argument.', usage);
  if (count > positionals.max) throw new UsageError(`Unexpected argument "${parsed.positionals[positionals.max]}".`, usage);
  return parsed;
}

export function emailArg(value: string | undefined, usage: string): string {
  const result = emailSchema.safeParse(value ?? '');
  if (!result.success) throw new UsageError(`"${value ?? ''}" is not an email address.`, usage);
  return result.data;
}

/** Runs `fn` with the database connected, and disconnects after, so the process can exit. */
export async function withDb<T>(config: Config, fn: () => Promise<T>): Promise<T> {
  await connectDb(config.MONGO_URL);
  try {
    return await fn();
  } finally {
    await disconnectDb();
  }
}
