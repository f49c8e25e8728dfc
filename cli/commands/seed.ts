import { seedDemo } from '../../lib/seed';
import { parseCommandArgs, UsageError, withDb, type CliCommand } from '../command';

const usage = 'seed [--domain <domain>] [--password <password>] [--force]';

export const seed: CliCommand = {
  usage,
  summary: 'Create a demo organisation (users with known passwords, hubs, files, contacts, messages, meetings). Safe to run again.',
  async run(args, { config, print }) {
    const { values } = parseCommandArgs(
      args,
      { domain: { type: 'string' }, password: { type: 'string' }, force: { type: 'boolean' } },
      usage,
      { min: 0, max: 0 },
    );
    if (config.NODE_ENV === 'production' && !values.force)
      throw new UsageError(
        'Refusing to create users with known passwords in production (NODE_ENV=production). Add --force if you really mean it.',
        usage,
      );
    const domain = values.domain?.trim().toLowerCase();
    if (domain !== undefined && !/^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain))
      throw new UsageError(`"${values.domain}" is not a domain name.`, usage);
    const org = await withDb(config, () => seedDemo({ domain, password: values.password }));
    const c = org.created;
    print(
      `Demo organisation ${org.domain} (partner ${org.partnerDomain}): created ${c.users} users, ${c.hubs} hubs, ${c.files} files, ${c.contacts} contacts, ${c.messages} messages, ${c.meetings} meetings.`,
    );
    print(
      `Sign in at ${config.PUBLIC_BASE_URL}/signin with password "${org.password}"${c.users < Object.keys(org.users).length ? ' (users that already existed keep their first password)' : ''}:`,
    );
    for (const u of Object.values(org.users))
      print(`  ${u.email.padEnd(40)} ${u.displayName}${u.external ? ' (partner, outside the domain)' : ''}`);
  },
};
