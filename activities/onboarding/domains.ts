/** SSO domain nomination for onboarding: claims are atomic (unique index), audited. */
import { audit } from '../../lib/audit';
import { badRequest, conflict } from '../../lib/errors';
import { claimDomain, releaseDomain } from '../../lib/sso/domains';
import { SsoDomainModel } from '../../lib/models';
import { domainProblem, normalizeDomain } from '../../lib/contracts/onboarding-input';
import type { ActivityDeps } from '../deps';

interface DomainInput {
  tenantId: string;
  domain: string;
  staffEmail?: string;
}

const record = (input: DomainInput, action: string, outcome: 'success' | 'denied', details: Record<string, unknown> = {}) =>
  audit({
    action,
    outcome,
    actor: input.staffEmail ? { kind: 'staff', email: input.staffEmail } : { kind: 'system' },
    target: { type: 'sso-domain', id: normalizeDomain(input.domain) },
    tenantId: input.tenantId,
    details,
  });

export function createDomainActivities(_deps: ActivityDeps) {
  return {
    async claimSsoDomain(input: DomainInput): Promise<string> {
      const problem = domainProblem(input.domain);
      if (problem) throw badRequest(problem);
      const result = await claimDomain(input.tenantId, input.domain, input.staffEmail);
      if (!result.ok) {
        await record(input, 'onboarding.domain.claim', 'denied', { ownerTenantId: result.ownerTenantId });
        throw conflict(`${normalizeDomain(input.domain)} is already claimed by another tenant (${result.ownerTenantId})`);
      }
      await record(input, 'onboarding.domain.claim', 'success');
      return normalizeDomain(input.domain);
    },

    async releaseSsoDomain(input: DomainInput): Promise<void> {
      await releaseDomain(input.tenantId, input.domain);
      await record(input, 'onboarding.domain.release', 'success');
    },

    /** Cancellation: every domain this tenant holds goes back to unclaimed. */
    async releaseAllSsoDomains(input: { tenantId: string; staffEmail?: string }): Promise<string[]> {
      const claims = await SsoDomainModel.find({ tenantId: input.tenantId }).lean();
      for (const { domain } of claims) {
        await releaseDomain(input.tenantId, domain);
        await record({ ...input, domain }, 'onboarding.domain.release', 'success', { reason: 'onboarding cancelled' });
      }
      return claims.map((c) => c.domain);
    },
  };
}
