import { VerifiedDomainModel } from '../models';

/** Records the tenancy as the domain's prover unless another got there first; returns the owner either way. */
export async function claimVerifiedDomain(domain: string, tenantId: string): Promise<string> {
  try {
    await VerifiedDomainModel.create({ domain, tenantId });
    return tenantId.toLowerCase();
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    const owner = await VerifiedDomainModel.findOne({ domain: domain.toLowerCase() }).lean();
    return owner?.tenantId ?? tenantId.toLowerCase();
  }
}

/** The tenancy that proved the domain, if any. */
export async function verifiedOwner(domain: string): Promise<string | undefined> {
  return (await VerifiedDomainModel.findOne({ domain: domain.toLowerCase() }).lean())?.tenantId;
}
