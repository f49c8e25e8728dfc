import { grantStaff } from '../../lib/accounts/staff-accounts';
import { emailArg, parseCommandArgs, withDb, type CliCommand } from '../command';

const usage = 'staff:create <email> [--password <password>] [--name <display name>]';

export const staffCreate: CliCommand = {
  usage,
  summary: 'Create a staff user, or make an existing user staff; prints a one-time password-set link unless --password is given.',
  async run(args, { config, print }) {
    const { values, positionals } = parseCommandArgs(args, { password: { type: 'string' }, name: { type: 'string' } }, usage, {
      min: 1,
      max: 1,
    });
    const email = emailArg(positionals[0], usage);
    const grant = await withDb(config, () => grantStaff(email, { password: values.password, displayName: values.name }, config));
    print(`${grant.created ? 'Created' : 'Promoted'} staff user ${grant.email} (${grant.userId}).`);
    if (grant.passwordLink) print(`Set a password within 1 hour (the link works once):\n${grant.passwordLink}`);
    else if (values.password) print("Password set; the account's other sessions were signed out.");
    else print('This account signs in with single sign-on.');
  },
};
