import { issueStaffToken } from '../../lib/accounts/staff-accounts';
import { emailArg, parseCommandArgs, withDb, type CliCommand } from '../command';

const usage = 'staff:token <email> [--label <text>]';

export const staffToken: CliCommand = {
  usage,
  summary: 'Issue a bearer token for the staff JSON API (/api/staff); it is printed once and only its hash is kept.',
  async run(args, { config, print }) {
    const { values, positionals } = parseCommandArgs(args, { label: { type: 'string' } }, usage, { min: 1, max: 1 });
    const email = emailArg(positionals[0], usage);
    const { id, token } = await withDb(config, () => issueStaffToken(email, values.label));
    print(`Token ${id} for ${email}${values.label ? ` (${values.label})` : ''}. Copy it now, it is not shown again:`);
    print(token);
    print(`Use: curl -H "Authorization: Bearer <token>" ${config.PUBLIC_BASE_URL}/api/staff/audit`);
    print(`Revoke: npm run cli -- staff:revoke-token ${id}`);
  },
};
