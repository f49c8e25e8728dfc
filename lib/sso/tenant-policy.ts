/**
 * A tenancy's SSO policy, set by staff beside the onboarding (it may change at any stage, and
 * after go-live) and, for who gets in and who administers, by its admins in the portal:
 * whether sign-ins must show multi-factor authentication, whether sign-ins started at Entra
 * (IdP-initiated, from My Apps) are accepted, the groups and app roles that let users in, and
 * the groups and roles that make a user a tenancy admin. Each change bumps `configVersion`,
 * so every web process applies it at the next sign-in, and is audited with who made it.
 */
import { audit } from '../audit';
import { badRequest, notFound } from '../errors';
import { TenantModel } from '../models';
import { tenantIdProblem } from '../contracts/onboarding-input';
import type { RequestContext } from '../accounts/context';

export interface SsoPolicy {
  requireMfa?: boolean;
  allowIdpInitiated?: boolean;
  allowedGroups?: string[];
  allowedRoles?: string[];
  adminGroups?: string[];
  adminRoles?: string[];
}

/** Each setting, its audit action, and what a valid value is. */
const SETTINGS = {
  requireMfa: { action: 'sso.policy.mfa', kind: 'boolean' },
  allowIdpInitiated: { action: 'sso.policy.idp-initiated', kind: 'boolean' },
  allowedGroups: { action: 'sso.policy.allowed-groups', kind: 'list' },
  allowedRoles: { action: 'sso.policy.allowed-roles', kind: 'list' },
  adminGroups: { action: 'sso.policy.admin-mapping', kind: 'list' },
  adminRoles: { action: 'sso.policy.admin-mapping', kind: 'list' },
} as const;
type Setting = keyof typeof SETTINGS;
const BOOLEAN_SETTINGS = (Object.keys(SETTINGS) as Setting[]).filter((k) => SETTINGS[k].kind === 'boolean');

const isList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length <= 100 && v.every((x) => typeof x === 'string' && x.trim().length > 0 && x.length <= 200);

/** Who changes the policy: staff (console, API) or a tenancy admin (portal, its own tenancy). */
export type PolicyActor = { kind: 'staff' | 'user'; email: string; userId?: string };

export async function setSsoPolicy(
  rawTenantId: string,
  input: Record<string, unknown>,
  actor: PolicyActor,
  ctx: RequestContext = {},
): Promise<SsoPolicy> {
  if (tenantIdProblem(rawTenantId)) throw notFound(`No tenant ${rawTenantId}.`);
  const given = (Object.keys(SETTINGS) as Setting[]).filter((k) => input[k] !== undefined);
  if (given.length === 0) throw badRequest(`Give at least one of ${Object.keys(SETTINGS).join(', ')}`);
  for (const k of given) {
    if (SETTINGS[k].kind === 'boolean' && typeof input[k] !== 'boolean') throw badRequest(`${k} must be true or false`);
    if (SETTINGS[k].kind === 'list' && !isList(input[k])) throw badRequest(`${k} must be a list of at most 100 names or IDs`);
  }
  // Group object IDs compare lower-case, as the claims are read; role values are case-sensitive in Entra.
  const value = (k: Setting) =>
    k === 'adminGroups' || k === 'allowedGroups' ? (input[k] as string[]).map((g) => g.trim().toLowerCase()) : input[k];
  const policy = Object.fromEntries(given.map((k) => [k, value(k)])) as SsoPolicy;
  const tenantId = rawTenantId.toLowerCase();
  const { matchedCount } = await TenantModel.updateOne({ tenantId }, { $set: policy, $inc: { configVersion: 1 } });
  if (matchedCount === 0) throw notFound(`No tenant ${tenantId}.`);
  for (const k of given) {
    await audit({
      action: SETTINGS[k].action,
      outcome: 'success',
      actor,
      target: { type: 'tenant', id: tenantId },
      tenantId,
      ...ctx,
      details: { [k]: policy[k] },
    });
  }
  return policy;
}

/** The staff page's forms post strings; each form carries one setting. */
export const policyFromForm = (body: Record<string, unknown> | undefined): Record<string, unknown> =>
  Object.fromEntries(BOOLEAN_SETTINGS.filter((k) => typeof body?.[k] === 'string').map((k) => [k, body![k] === 'true']));
