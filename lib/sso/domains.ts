import { TenantModel, SsoDomainModel, type Tenant } from '../models';
import { normalizeDomain } from '../contracts/onboarding-input';
import type { OnboardingStage } from '../contracts/shared';
import { UnclaimedDomains } from './unclaimed-domains';

/**
 * SSO domain claims. A domain is claimed by inserting an `SsoDomain` row (unique index: one
 * tenant per domain, atomically, no transaction) and then listed on `Tenant.domains`, which is
 * what the sign-in path reads. Claims are made from `testing` on; enforcement starts when the
 * tenant's stage is `live`.
 */

const unclaimed = new UnclaimedDomains(10_000, 50_000);

export const emailDomain = (email: string) => normalizeDomain(email.slice(email.lastIndexOf('@') + 1));

/**
 * The tenant that nominated this email's domain, if that tenant is in one of `stages`
 * (default: live only, i.e. where SSO is enforced); otherwise undefined.
 */
export async function tenantForEmailDomain(email: string, stages: OnboardingStage[] = ['live']): Promise<Tenant | undefined> {
  if (!email.includes('@')) return undefined;
  const domain = emailDomain(email);
  if (unclaimed.has(domain)) return undefined;
  const claim = await SsoDomainModel.findOne({ domain }).lean();
  if (!claim) {
    unclaimed.remember(domain);
    return undefined;
  }
  const tenant = await TenantModel.findOne({ tenantId: claim.tenantId, stage: { $in: stages }, domains: domain }).lean();
  return tenant ?? undefined;
}

export type ClaimResult = { ok: true } | { ok: false; ownerTenantId: string };

/** Idempotent: claiming a domain this tenant already holds succeeds again. */
export async function claimDomain(tenantId: string, domain: string, claimedBy?: string): Promise<ClaimResult> {
  const name = normalizeDomain(domain);
  unclaimed.forget(name);
  try {
    await SsoDomainModel.create({ domain: name, tenantId, claimedBy });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    const existing = await SsoDomainModel.findOne({ domain: name }).lean();
    if (existing && existing.tenantId !== tenantId) return { ok: false, ownerTenantId: existing.tenantId };
  }
  await TenantModel.updateOne({ tenantId, domains: { $ne: name } }, { $push: { domains: name }, $inc: { configVersion: 1 } });
  return { ok: true };
}

/** Idempotent. Removes from the tenant first so no listed domain is ever left unclaimed. */
export async function releaseDomain(tenantId: string, domain: string): Promise<void> {
  const name = normalizeDomain(domain);
  await TenantModel.updateOne({ tenantId, domains: name }, { $pull: { domains: name }, $inc: { configVersion: 1 } });
  await SsoDomainModel.deleteOne({ domain: name, tenantId });
}
