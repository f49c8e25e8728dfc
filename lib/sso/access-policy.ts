import { emailDomain } from './domains';
import { SamlRejection } from '../saml/rejection';
import { SIGN_IN_STAGES, type TenantSaml } from '../saml/tenant-config';
import type { SsoClaims } from './claims';
import { provisionedGroupsOf } from '../scim/directory-links';
import { GraphLookupError } from '../graph/member-groups';

/**
 * Who may sign in through a tenant at all, decided before anything is written. Each rule is
 * one function; the refusal names the rule, and the user gets a page that says what to do.
 */

export function tenantAcceptsSignIn(tenant: TenantSaml): void {
  if (!SIGN_IN_STAGES.includes(tenant.stage)) {
    throw new SamlRejection('tenant-not-enabled', 'SSO sign-in is not enabled for this tenant', SIGN_IN_STAGES.join('|'), tenant.stage);
  }
}

/** A tenant can never claim an email outside the domains it nominated (and proved). */
export function emailInNominatedDomains(tenant: TenantSaml, email: string): void {
  const domain = emailDomain(email);
  if (!tenant.domains.includes(domain)) {
    throw new SamlRejection('email-outside-domains', 'The email is not in a domain this tenant nominated', tenant.domains, domain);
  }
}

/**
 * Optional MFA policy: the user must have completed multi-factor authentication at Entra. In
 * SAML tokens Entra lists it as `http://schemas.microsoft.com/claims/multipleauthn` in
 * authnmethodsreferences (`mfa` is the OpenID Connect spelling, accepted too).
 */
export const MFA_METHODS: readonly string[] = ['http://schemas.microsoft.com/claims/multipleauthn', 'mfa'];

export function passesMfaPolicy(tenant: TenantSaml, claims: SsoClaims): void {
  if (!tenant.requireMfa || claims.authnMethods.some((m) => MFA_METHODS.includes(m))) return;
  throw new SamlRejection(
    'mfa-required',
    'The organisation requires multi-factor authentication and the token does not show it',
    MFA_METHODS,
    claims.authnMethods,
  );
}

/**
 * Optional gate on groups or app roles. An app role (the `role` claim) in `allowedRoles` lets the
 * user in at once. Otherwise the `groups` claim decides when Entra sends one. Without it (not
 * configured, or `groups.link` for users in more than 150 groups), a tenancy that provisions
 * groups by SCIM is answered from those memberships, with no Graph call. Otherwise an overage
 * is answered by Microsoft Graph (lib/graph/member-groups.ts: transitive security groups), and
 * refused when Graph cannot answer (fails closed); where Entrada has no Graph credentials it is
 * refused with a message telling the administrator to emit "Groups assigned to the application".
 * Returns the user's groups as far as they are known (those that decided, when it was Graph).
 */
export async function passesGroupGate(
  tenant: TenantSaml,
  claims: SsoClaims,
  overageGroups?: (tenantId: string, objectId: string) => Promise<string[]>,
): Promise<string[]> {
  if (tenant.allowedGroups.length === 0 && tenant.allowedRoles.length === 0) return claims.groups;
  if (claims.roles.some((r) => tenant.allowedRoles.includes(r))) return claims.groups;
  if (tenant.allowedGroups.length === 0)
    throw new SamlRejection('group-not-allowed', 'The user has none of the allowed app roles', tenant.allowedRoles, claims.roles);
  let groups = claims.groups;
  if (groups.length === 0) {
    const provisioned = await provisionedGroupsOf(tenant.tenantId, claims.objectId);
    if (provisioned) groups = provisioned;
    else if (claims.groupsOverage) groups = await groupsFromGraph(tenant, claims, overageGroups);
  }
  const allowed = new Set(tenant.allowedGroups.map((g) => g.toLowerCase()));
  if (!groups.some((g) => allowed.has(g))) {
    const expected = tenant.allowedRoles.length ? { groups: tenant.allowedGroups, roles: tenant.allowedRoles } : tenant.allowedGroups;
    const received = tenant.allowedRoles.length ? { groups, roles: claims.roles } : groups;
    throw new SamlRejection('group-not-allowed', 'The user is in none of the allowed groups', expected, received);
  }
  return groups;
}

/** The overage's groups from Microsoft Graph; without Graph credentials, or when Graph fails, the sign-in is refused. */
async function groupsFromGraph(
  tenant: TenantSaml,
  claims: SsoClaims,
  overageGroups: ((tenantId: string, objectId: string) => Promise<string[]>) | undefined,
): Promise<string[]> {
  if (!overageGroups)
    throw new SamlRejection('groups-overage', 'Entra sent a groups link instead of the groups (overage)', 'a groups claim', 'groups.link');
  try {
    return await overageGroups(tenant.tenantId, claims.objectId);
  } catch (err) {
    if (!(err instanceof GraphLookupError)) throw err;
    throw new SamlRejection(
      'groups-lookup-failed',
      `Microsoft Graph look-up of the overage failed: ${err.message}`,
      'the groups',
      err.details,
    );
  }
}
