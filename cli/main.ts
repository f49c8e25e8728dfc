import { ConfigError, parseConfig } from '../lib/config';
import { Refusal } from '../lib/contracts/refusal';
import { UsageError, type CliCommand } from './command';
import { auditVerify } from './commands/audit-verify';
import { CheckFailed, doctor } from './commands/doctor';
import { seed } from './commands/seed';
import { staffCreate } from './commands/staff-create';
import { staffRevokeToken } from './commands/staff-revoke-token';
import { staffToken } from './commands/staff-token';
import { scimRevokeToken, scimToken } from './commands/scim-token';

/**
 * `npm run cli -- <command> [args]`. Exit codes: 0 done, 1 failed (a refusal or a broken
 * dependency, with the reason on stderr), 2 bad usage (unknown command, bad argument).
 */
const COMMANDS: Record<string, CliCommand> = {
  'staff:create': staffCreate,
  'staff:token': staffToken,
  'staff:revoke-token': staffRevokeToken,
  'scim:token': scimToken,
  'scim:revoke-token': scimRevokeToken,
  'audit:verify': auditVerify,
  doctor,
  seed,
};

function help(): string {
  return [
    'Usage: npm run cli -- <command> [options]',
    '',
    'Commands:',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`Unknown command "${name}".\n\n${help()}`);
  const config = parseConfig();
  await command.run(args, { config, print: (line = '') => console.log(line) });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof UsageError) {
      console.error(`error: ${err.message}${err.usage ? `\nusage: npm run cli -- ${err.usage}` : ''}`);
      process.exit(2);
    }
    if (err instanceof ConfigError || err instanceof CheckFailed || (err instanceof Refusal && err.status < 500)) {
      console.error(`error: ${err.message}`);
      process.exit(1);
    }
    console.error('error:', err);
    process.exit(1);
  },
);
