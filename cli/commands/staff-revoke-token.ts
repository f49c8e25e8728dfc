import { revokeStaffTokens } from '../../lib/accounts/staff-accounts';
import { emailArg, parseCommandArgs, UsageError, withDb, type CliCommand } from '../command';

const usage = 'staff:revoke-token <token-id> | staff:revoke-token --email <email>';

export const staffRevokeToken: CliCommand = {
  usage,
  summary: 'Revoke one staff API token by its ID, or every token of a staff user.',
  async run(args, { config, print }) {
    const { values, positionals } = parseCommandArgs(args, { email: { type: 'string' } }, usage, { min: 0, max: 1 });
    if (Boolean(values.email) === Boolean(positionals[0])) throw new UsageError('Give a token ID or --email, not both or neither.', usage);
    const by = values.email ? { email: emailArg(values.email, usage) } : { id: positionals[0] };
    const revoked = await withDb(config, () => revokeStaffTokens(by));
    print(`Revoked ${revoked} token${revoked === 1 ? '' : 's'}.`);
  },
};
