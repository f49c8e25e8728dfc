import ms from 'ms';
import { issueTenancySecret } from '../../lib/scim/secrets';
import { revokeScimToken } from '../../lib/scim/tokens';
import { createTemporalClient } from '../../lib/temporal';
import { parseCommandArgs, UsageError, withDb, type CliCommand } from '../command';

const usage = 'scim:token <tenantId> [--label <text>] [--overlap <duration>]';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const scimToken: CliCommand = {
  usage,
  summary:
    "Issue a tenancy's SCIM secret for Entra provisioning (printed once; older secrets keep working for the overlap, default SCIM_TOKEN_OVERLAP).",
  async run(args, { config, print }) {
    const { values, positionals } = parseCommandArgs(args, { label: { type: 'string' }, overlap: { type: 'string' } }, usage, {
      min: 1,
      max: 1,
    });
    if (!GUID.test(positionals[0])) throw new UsageError(`"${positionals[0]}" is not an Entra tenant ID.`, usage);
    const overlapMs = values.overlap === undefined ? undefined : ms(values.overlap as ms.StringValue);
    if (overlapMs !== undefined && (typeof overlapMs !== 'number' || overlapMs < 0))
      throw new UsageError(`--overlap: expected a duration such as "24h" or "0s", got "${values.overlap}".`, usage);
    const temporal = await createTemporalClient(config);
    try {
      const issued = await withDb(config, () =>
        issueTenancySecret({ config, temporal }, positionals[0], { kind: 'system', email: 'cli' }, { label: values.label, overlapMs }),
      );
      print(`SCIM secret ${issued.id} for tenancy ${positionals[0].toLowerCase()}. Copy it now, it is not shown again:`);
      print(issued.token);
      print(
        `Entra: Provisioning → Admin credentials → Tenant URL ${config.PUBLIC_BASE_URL}/scim/v2/${positionals[0].toLowerCase()}, Secret Token as above.`,
      );
      for (const r of issued.rotated) print(`Older secret ${r.id} (${r.hint}…) keeps working until ${r.expiresAt}.`);
    } finally {
      await temporal.connection.close();
    }
  },
};

const revokeUsage = 'scim:revoke-token <tenantId> <tokenId>';
export const scimRevokeToken: CliCommand = {
  usage: revokeUsage,
  summary: 'Revoke one SCIM secret of a tenancy at once (its ID is printed by scim:token).',
  async run(args, { config, print }) {
    const { positionals } = parseCommandArgs(args, {}, revokeUsage, { min: 2, max: 2 });
    await withDb(config, () => revokeScimToken(positionals[0], positionals[1], { kind: 'system', email: 'cli' }));
    print(`SCIM secret ${positionals[1]} revoked.`);
  },
};
