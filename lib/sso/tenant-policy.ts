/**
 * Staff set a tenancy's SSO policy beside the onboarding (it may change at any stage, and
 * after go-live): for now, whether sign-ins must show multi-factor authentication. Each change
 * bumps `configVersion`, so every web process applies it at the next sign-in, and is audited.
 */
import { audit } from '../audit';
import { badRequest, notFound } from '../errors';
import { TenantModel } from '../models';
import { tenantIdProblem } from '../contracts/onboarding-input';

export async function setMfaPolicy(rawTenantId: string, requireMfa: unknown, staffEmail: string): Promise<{ requireMfa: boolean }> {
  if (tenantIdProblem(rawTenantId)) throw notFound(`No tenant ${rawTenantId}.`);
  if (typeof requireMfa !== 'boolean') throw badRequest('requireMfa must be true or false');
  const tenantId = rawTenantId.toLowerCase();
  const { matchedCount } = await TenantModel.updateOne({ tenantId }, { $set: { requireMfa }, $inc: { configVersion: 1 } });
  if (matchedCount === 0) throw notFound(`No tenant ${tenantId}.`);
  await audit({
    action: 'sso.policy.mfa',
    outcome: 'success',
    actor: { kind: 'staff', email: staffEmail },
    target: { type: 'tenant', id: tenantId },
    tenantId,
    details: { requireMfa },
  });
  return { requireMfa };
}
