/**
 * The domain proof's side effects: one DNS check (recorded on the proof), and the final
 * states. Each is idempotent: a retried activity finds the proof already settled.
 */
import { audit } from '../../lib/audit';
import { checkDomainTxt } from '../../lib/domains/dns-check';
import { claimVerifiedDomain } from '../../lib/domains/verified-domains';
import { DomainProofModel } from '../../lib/models';
import type { DnsCheckOutcome, DomainProofStatus } from '../../lib/contracts/domain-proof';
import type { ActivityDeps } from '../deps';

type ProofKey = { tenantId: string; domain: string };
const system = { kind: 'system' as const };

export function createDomainProofActivities({ config }: ActivityDeps) {
  /** Marks the proof settled (verified or overridden) once the domain is ours, or refused when another tenancy has it. */
  async function settle(key: ProofKey, status: 'verified' | 'overridden', extra: Record<string, unknown>): Promise<DomainProofStatus> {
    const owner = await claimVerifiedDomain(key.domain, key.tenantId);
    const refused = owner !== key.tenantId;
    const result: DomainProofStatus = refused ? 'refused' : status;
    const changed = await DomainProofModel.updateOne(
      { ...key, status: 'pending' },
      {
        $set: refused
          ? { status: 'refused', refusal: 'another tenancy has already verified this domain' }
          : { status, ...(status === 'verified' ? { verifiedAt: new Date() } : {}), ...extra },
      },
    );
    if (changed.modifiedCount)
      await audit({
        action: `domain.proof-${result}`,
        outcome: refused ? 'denied' : 'success',
        actor: (extra.override as { by?: string } | undefined)?.by
          ? { kind: 'staff', email: (extra.override as { by: string }).by }
          : system,
        tenantId: key.tenantId,
        target: { type: 'domain', id: key.domain },
        details: refused ? { reason: 'verified by another tenancy' } : {},
      });
    return result;
  }

  return {
    async checkDomainProof(key: ProofKey): Promise<{ status: DomainProofStatus; outcome?: DnsCheckOutcome }> {
      const proof = await DomainProofModel.findOne(key).lean();
      if (!proof) return { status: 'refused' };
      if (proof.status !== 'pending') return { status: proof.status };
      const check = await checkDomainTxt(key.domain, proof.token, { servers: config.DNS_SERVERS, timeoutMs: config.DNS_TIMEOUT });
      await DomainProofModel.updateOne(
        { ...key, status: 'pending' },
        { $set: { lastCheck: { at: new Date(), ...check } }, $inc: { checks: 1 } },
      );
      if (check.outcome !== 'verified') return { status: 'pending', outcome: check.outcome };
      return { status: await settle(key, 'verified', {}), outcome: check.outcome };
    },

    async overrideDomainProof(input: ProofKey & { by: string; reason: string }): Promise<DomainProofStatus> {
      const { by, reason, ...key } = input;
      return settle(key, 'overridden', { override: { by, reason, at: new Date() } });
    },

    async expireDomainProof(key: ProofKey): Promise<void> {
      const changed = await DomainProofModel.updateOne({ ...key, status: 'pending' }, { $set: { status: 'expired' } });
      if (changed.modifiedCount)
        await audit({
          action: 'domain.proof-expired',
          outcome: 'failure',
          actor: system,
          tenantId: key.tenantId,
          target: { type: 'domain', id: key.domain },
        });
    },
  };
}
