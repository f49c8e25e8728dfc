import type { Config } from '../config';
import { TenantModel, type Tenant } from '../models';
import type { OnboardingStage } from '../contracts/shared';
import { connectionOf, type TenantConnection } from '../idp/tenant-connection';
import { freshReads } from '../fresh-reads';
import { tenantSamlOptions, type TenantSamlOptions } from './sp-options';

/**
 * Stages in which a tenant's users may sign in by SSO. In `testing` (and while staff review
 * it) anyone in the tenant's nominated domains may sign in, so the onboarding checklist can
 * be exercised with real test users; from `live` on the domains are also enforced elsewhere.
 */
export const SIGN_IN_STAGES: readonly OnboardingStage[] = ['testing', 'awaiting-go-live', 'live'];

export interface TenantSaml {
  tenantId: string;
  name: string;
  stage: OnboardingStage;
  /** Bumped by every change to the tenant's settings and every onboarding stage change. */
  configVersion: number;
  domains: string[];
  allowedGroups: string[];
  allowedRoles: string[];
  /** Groups and app roles that make a user a tenancy admin (lib/sso/tenant-admin.ts). */
  adminGroups: string[];
  adminRoles: string[];
  requireMfa: boolean;
  /** Unsolicited responses (IdP-initiated sign-in from My Apps) are accepted. */
  allowIdpInitiated: boolean;
  sloUrl?: string;
  /** Its IdP connection: kind, expected issuer, claim mapping. */
  connection: TenantConnection;
  /** Both: the assertion's own signature is checked as well as the Response's (web/saml/acs.ts). */
  signsBoth: boolean;
  /** Undefined until the tenant has an SSO URL and at least one unexpired certificate. */
  options?: TenantSamlOptions;
  /** Certificates the connection staged that no sign-in has used yet (rollover proof pending). */
  awaitingProof: { thumbprint: string; pem: string }[];
}

interface CacheEntry {
  version: number;
  /** Past this the trusted certificate set changes by itself (expiry, or a new one's start). */
  validUntil: number;
  value: Omit<TenantSaml, 'stage' | 'configVersion'>;
}

/**
 * Per-process cache of each tenant's SAML settings, keyed on `configVersion`. Every lookup
 * reads the version and stage (one small query), so a change made by any process (new
 * certificate, domain, group list) is seen by the next sign-in everywhere. Sign-ins asking at
 * once share that read, but only one sent after they asked (lib/fresh-reads.ts): as fresh as a
 * read each, and under load one command for a queue of them.
 */
const cache = new Map<string, CacheEntry>();
const versionReads = freshReads<Pick<Tenant, 'configVersion' | 'stage'> | null>();

export async function loadTenantSaml(
  config: Pick<Config, 'PUBLIC_BASE_URL'>,
  tenantId: string,
  now = new Date(),
): Promise<TenantSaml | undefined> {
  const tid = tenantId.toLowerCase();
  // Keyed by database too: a process (a test) may use several.
  const probe = await versionReads(`${TenantModel.db.name}/${tid}`, () =>
    TenantModel.findOne({ tenantId: tid }, { configVersion: 1, stage: 1 }).lean().exec(),
  );
  if (!probe) return undefined;
  const hit = cache.get(tid);
  if (hit && hit.version === probe.configVersion && now.getTime() < hit.validUntil)
    return { ...hit.value, stage: probe.stage, configVersion: probe.configVersion };

  const tenant = await TenantModel.findOne({ tenantId: tid }).lean();
  if (!tenant) return undefined;
  const entry = buildEntry(config, tenant, now);
  cache.set(tid, entry);
  return { ...entry.value, stage: tenant.stage, configVersion: tenant.configVersion };
}

function buildEntry(config: Pick<Config, 'PUBLIC_BASE_URL'>, tenant: Tenant, now: Date): CacheEntry {
  const certificates = tenant.saml?.certificates ?? [];
  const current = certificates.filter((c) => c.notAfter.getTime() > now.getTime() && (!c.notBefore || c.notBefore <= now));
  const connection = connectionOf(tenant);
  const ready = Boolean(tenant.saml?.ssoUrl) && current.length > 0;
  // Rebuilt when a trusted certificate expires or a published one becomes valid.
  const changes = [
    ...current.map((c) => c.notAfter.getTime()),
    ...certificates.map((c) => c.notBefore?.getTime() ?? 0).filter((t) => t > now.getTime()),
  ];
  return {
    version: tenant.configVersion,
    validUntil: Math.min(...changes, now.getTime() + 60 * 60 * 1000),
    value: {
      tenantId: tenant.tenantId,
      name: tenant.name,
      domains: tenant.domains ?? [],
      allowedGroups: tenant.allowedGroups ?? [],
      allowedRoles: tenant.allowedRoles ?? [],
      adminGroups: (tenant.adminGroups ?? []).map((g) => g.toLowerCase()),
      adminRoles: tenant.adminRoles ?? [],
      requireMfa: tenant.requireMfa ?? false,
      connection,
      signsBoth: tenant.saml?.signing === 'both',
      allowIdpInitiated: tenant.allowIdpInitiated ?? false,
      ...(tenant.saml?.sloUrl ? { sloUrl: tenant.saml.sloUrl } : {}),
      awaitingProof: current.filter((c) => c.stagedAt && !c.provenAt).map((c) => ({ thumbprint: c.thumbprint, pem: c.pem })),
      ...(ready
        ? {
            options: tenantSamlOptions(
              config,
              tenant,
              current.map((c) => c.pem),
              connection,
            ),
          }
        : {}),
    },
  };
}
