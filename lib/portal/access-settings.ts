/**
 * What the portal's Access page shows of a tenancy: who may sign in (allowed groups and app
 * roles), who becomes a tenancy admin (the admin mapping), and whether the groups those rules
 * need can reach Entrada: the connection's groups claim, and, for Entra, the look-up of an
 * overage (more groups than fit in a token) through Microsoft Graph.
 */
import type { Config } from '../config';
import { notFound } from '../errors';
import { TenantModel } from '../models';
import { ENTRA_CLAIMS } from '../sso/claims';

export interface AccessSettings {
  allowedGroups: string[];
  allowedRoles: string[];
  adminGroups: string[];
  adminRoles: string[];
  connectionKind: 'entra' | 'okta' | 'saml';
  /** The SAML attribute read as the user's groups; null when the connection maps none. */
  groupsAttribute: string | null;
  /** Some rule depends on groups (the gate or the admin mapping). */
  groupsNeeded: boolean;
  /** Entra only: an overage can be answered by Graph (Entrada holds the app's credentials). */
  overageLookup: boolean;
}

export async function accessSettings(config: Pick<Config, 'ENTRA_CLIENT_SECRET'>, rawTenantId: string): Promise<AccessSettings> {
  const tenantId = rawTenantId.toLowerCase();
  const t = await TenantModel.findOne(
    { tenantId },
    { allowedGroups: 1, allowedRoles: 1, adminGroups: 1, adminRoles: 1, connection: 1 },
  ).lean();
  if (!t) throw notFound(`No tenancy ${tenantId}.`);
  const kind = (t.connection?.kind as AccessSettings['connectionKind'] | undefined) ?? 'entra';
  const claims = t.connection?.claims as { groups?: string } | undefined;
  // Records from before connection kinds are Entra, which always reads its groups claim.
  const groupsAttribute = claims ? (claims.groups ?? null) : ENTRA_CLAIMS.groups;
  return {
    allowedGroups: t.allowedGroups ?? [],
    allowedRoles: t.allowedRoles ?? [],
    adminGroups: t.adminGroups ?? [],
    adminRoles: t.adminRoles ?? [],
    connectionKind: kind,
    groupsAttribute,
    groupsNeeded: (t.allowedGroups?.length ?? 0) + (t.adminGroups?.length ?? 0) > 0,
    overageLookup: kind === 'entra' && Boolean(config.ENTRA_CLIENT_SECRET),
  };
}
