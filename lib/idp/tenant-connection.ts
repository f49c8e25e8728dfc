import type { Tenant } from '../models';
import { entraIssuer } from '../saml/checks/entra';
import { entraClaims } from './presets';
import { claimMappingSchema, type ClaimMapping, type ConnectionKind, type SsoBinding, NAMEID_FORMATS } from './settings';

/** What the SP reads from a tenancy's connection at sign-in (certificates and URLs are in `saml`). */
export interface TenantConnection {
  kind: ConnectionKind;
  /** The Issuer every Response and Assertion must carry. */
  issuer: string;
  ssoBinding: SsoBinding;
  nameIdFormat: keyof typeof NAMEID_FORMATS;
  claims: ClaimMapping;
}

/**
 * The connection an Entra tenancy has always had: the issuer is Entra's for its tenant ID
 * and the claims are Entra's (so a stored Entra record with no `connection` yet reads the same).
 */
export function entraConnection(tenantId: string, ssoBinding: SsoBinding = 'redirect'): TenantConnection {
  return { kind: 'entra', issuer: entraIssuer(tenantId), ssoBinding, nameIdFormat: 'unspecified', claims: entraClaims(tenantId) };
}

export function connectionOf(tenant: Pick<Tenant, 'tenantId' | 'saml' | 'connection'>): TenantConnection {
  const stored = tenant.connection;
  if (!stored || stored.kind === 'entra') return entraConnection(tenant.tenantId, stored?.ssoBinding ?? 'redirect');
  return {
    kind: stored.kind,
    issuer: tenant.saml?.idpEntityId ?? '',
    ssoBinding: stored.ssoBinding,
    nameIdFormat: stored.nameIdFormat,
    claims: claimMappingSchema.parse(stored.claims),
  };
}
