import { PLATFORM_CHAIN } from '../../lib/audit-chain/hash';
import { verifyChain, type ChainVerification } from '../../lib/audit-chain/verify';
import { parseCommandArgs, withDb, type CliCommand } from '../command';
import { CheckFailed } from './doctor';

const usage = `audit:verify <entra-tenant-id | ${PLATFORM_CHAIN}>`;

export const auditVerify: CliCommand = {
  usage,
  summary: `Recompute a tenancy's audit hash chain (or the ${PLATFORM_CHAIN} chain of events without one) and report the first broken link.`,
  async run(args, { config, print }) {
    const { positionals } = parseCommandArgs(args, {}, usage, { min: 1, max: 1 });
    const result = await withDb(config, () => verifyChain(positionals[0].toLowerCase()));
    for (const line of describeVerification(result)) print(line);
    if (!result.ok) throw new CheckFailed(`audit chain ${result.chain} is broken at seq ${result.firstBroken!.seq}`);
  },
};

export function describeVerification(r: ChainVerification): string[] {
  const head = r.head ? `last event seq ${r.head.seq}, ${r.head.eventId}, hash ${r.head.hash}` : 'no events';
  if (r.ok) return [`ok   chain ${r.chain}: ${r.events} events intact; ${head}`];
  const b = r.firstBroken!;
  return [
    `BROKEN chain ${r.chain}: ${r.events} events intact before seq ${b.seq}`,
    `  seq ${b.seq}${b.eventId ? ` (event ${b.eventId})` : ''}: ${b.problem}`,
    `  expected ${b.expected}`,
    `  received ${b.received}`,
  ];
}
