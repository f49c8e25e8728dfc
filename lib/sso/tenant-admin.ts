import { audit } from '../audit';
import { UserModel } from '../models';
import type { TenantSaml } from '../saml/tenant-config';
import type { SsoClaims } from './claims';

/**
 * A tenancy that maps groups or app roles to its admins: at each sign-in the user becomes one of
 * its admins (`tenantAdminOf`) when the token (or Graph, for an overage) shows a mapped group or
 * role, and stops being one when it does not, so a change in Entra takes effect at the next
 * sign-in. Each change is audited; a sign-in that changes nothing writes nothing. A tenancy
 * without a mapping leaves `tenantAdminOf` alone (admins set otherwise stay).
 */
export async function syncTenantAdmin(
  tenant: Pick<TenantSaml, 'tenantId' | 'adminGroups' | 'adminRoles'>,
  claims: SsoClaims,
  userId: string,
): Promise<void> {
  if (tenant.adminGroups.length === 0 && tenant.adminRoles.length === 0) return;
  const roles = claims.roles.filter((r) => tenant.adminRoles.includes(r));
  const groups = claims.groups.filter((g) => tenant.adminGroups.includes(g));
  const admin = roles.length + groups.length > 0;
  const { tenantId } = tenant;
  const { modifiedCount } = admin
    ? await UserModel.updateOne({ _id: userId, tenantAdminOf: { $ne: tenantId } }, { $addToSet: { tenantAdminOf: tenantId } })
    : await UserModel.updateOne({ _id: userId, tenantAdminOf: tenantId }, { $pull: { tenantAdminOf: tenantId } });
  if (modifiedCount === 0) return;
  await audit({
    action: admin ? 'sso.tenant-admin.granted' : 'sso.tenant-admin.revoked',
    outcome: 'success',
    actor: { kind: 'system' },
    target: { type: 'user', id: userId },
    tenantId,
    details: { email: claims.email, objectId: claims.objectId, ...(admin ? { roles, groups } : {}) },
  });
}
