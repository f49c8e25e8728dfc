/**
 * Staff set a tenancy's SSO policy beside the onboarding (it may change at any stage, and
 * after go-live): whether sign-ins must show multi-factor authentication, and whether sign-ins
 * started at Entra (IdP-initiated, from My Apps) are accepted. Each change bumps
 * `configVersion`, so every web process applies it at the next sign-in, and is audited.
 */
import { audit } from '../audit';
import { badRequest, notFound } from '../errors';
import { TenantModel } from '../models';
import { tenantIdProblem } from '../contracts/onboarding-input';

export interface SsoPolicy {
  requireMfa?: boolean;
  allowIdpInitiated?: boolean;
}

const SETTINGS = { requireMfa: 'sso.policy.mfa', allowIdpInitiated: 'sso.policy.idp-initiated' } as const;
type Setting = keyof typeof SETTINGS;

export async function setSsoPolicy(rawTenantId: string, input: Record<string, unknown>, staffEmail: string): Promise<SsoPolicy> {
  if (tenantIdProblem(rawTenantId)) throw notFound(`No tenant ${rawTenantId}.`);
  const given = (Object.keys(SETTINGS) as Setting[]).filter((k) => input[k] !== undefined);
  if (given.length === 0) throw badRequest(`Give at least one of ${Object.keys(SETTINGS).join(', ')}`);
  for (const k of given) if (typeof input[k] !== 'boolean') throw badRequest(`${k} must be true or false`);
  const policy = Object.fromEntries(given.map((k) => [k, input[k]])) as SsoPolicy;
  const tenantId = rawTenantId.toLowerCase();
  const { matchedCount } = await TenantModel.updateOne({ tenantId }, { $set: policy, $inc: { configVersion: 1 } });
  if (matchedCount === 0) throw notFound(`No tenant ${tenantId}.`);
  for (const k of given) {
    await audit({
      action: SETTINGS[k],
      outcome: 'success',
      actor: { kind: 'staff', email: staffEmail },
      target: { type: 'tenant', id: tenantId },
      tenantId,
      details: { [k]: policy[k] },
    });
  }
  return policy;
}

/** The staff page's forms post strings; each form carries one setting. */
export const policyFromForm = (body: Record<string, unknown> | undefined): Record<string, unknown> =>
  Object.fromEntries(
    Object.keys(SETTINGS)
      .filter((k) => typeof body?.[k] === 'string')
      .map((k) => [k, body![k] === 'true']),
  );
