/**
 * The connection's certificate set on the Tenant: read, refreshed from Entra's metadata,
 * proven, retired. Every write replaces the whole set in one single-document update (a worker
 * killed mid-refresh leaves the old set or the new one, never a mix) under a lock, so a
 * refresh and a proof or retirement of the same tenancy never interleave; every change is
 * audited and bumps `configVersion`, so each web process trusts the new set at its next sign-in.
 */
import { audit } from '../../lib/audit';
import { withLock } from '../../lib/claims';
import { notFound } from '../../lib/errors';
import { TenantModel } from '../../lib/models';
import { FailureType } from '../../lib/contracts/failures';
import { Refusal } from '../../lib/contracts/refusal';
import { fetchIdpMetadata } from '../../lib/idp/metadata-url';
import { parseFederationMetadata, parseIdpMetadata } from '../../lib/saml/federation-metadata';
import { hasChanges, mergeCertificates, trustedView, type StoredCertificate } from '../../lib/connection/certificate-set';
import type { ConnectionSnapshot, RefreshResult, RefreshTrigger } from '../../lib/contracts/connection';
import type { ActivityDeps } from '../deps';
import { fetchFederationMetadata } from '../onboarding/metadata-fetch';
import { markCertificateProven } from '../../lib/connection/rollover-proof';

type Actor = { kind: 'staff'; email: string } | { kind: 'system' };
const actorOf = (staffEmail?: string): Actor => (staffEmail ? { kind: 'staff', email: staffEmail } : { kind: 'system' });

async function loadTenant(tenantId: string) {
  const tenant = await TenantModel.findOne({ tenantId }).lean();
  if (!tenant) throw notFound(`no tenant ${tenantId}`);
  return tenant;
}

const storedOf = (tenant: Awaited<ReturnType<typeof loadTenant>>): StoredCertificate[] =>
  (tenant.saml?.certificates ?? []) as StoredCertificate[];

async function writeCertificates(tenantId: string, next: StoredCertificate[], extra: Record<string, unknown> = {}): Promise<void> {
  await TenantModel.updateOne({ tenantId }, { $set: { 'saml.certificates': next, ...extra }, $inc: { configVersion: 1 } });
}

const auditCertificate = (tenantId: string, action: string, actor: Actor, details: Record<string, unknown>) =>
  audit({ action, outcome: 'success', actor, target: { type: 'tenant', id: tenantId }, tenantId, details });

export function createConnectionCertificateActivities({ config }: ActivityDeps) {
  return {
    async readConnection({ tenantId }: { tenantId: string }): Promise<ConnectionSnapshot> {
      const tenant = await loadTenant(tenantId);
      return {
        orgName: tenant.name,
        certificates: storedOf(tenant).map(trustedView),
        refreshIntervalMs: config.CONNECTION_REFRESH_INTERVAL,
      };
    },

    /**
     * Fetches the tenancy's metadata (SSRF-safe fetcher) and merges it into the trusted set. A
     * fetch or parse failure (timeout, 404, another tenant's metadata, only expired
     * certificates) throws before anything is written: no working certificate is ever lost.
     */
    async refreshConnectionMetadata({
      tenantId,
      trigger,
      staffEmail,
    }: {
      tenantId: string;
      trigger: RefreshTrigger;
      staffEmail?: string;
    }): Promise<RefreshResult> {
      const current = await loadTenant(tenantId);
      let metadata;
      try {
        metadata = await fetchMetadataOf(current, config);
      } catch (err) {
        await auditRefreshFailure(tenantId, trigger, staffEmail, err);
        throw err;
      }
      // Uploaded, not fetched (a non-Entra connection without a metadata URL): nothing to re-read.
      if (!metadata) return { certificates: storedOf(current).map(trustedView), staged: [], unpublished: [], dropped: [] };
      return withLock(`sso-certificates:${tenantId}`, async () => {
        const tenant = await loadTenant(tenantId);
        const changes = mergeCertificates(storedOf(tenant), metadata.certificates, new Date());
        const endpoints = {
          'saml.idpEntityId': metadata.idpEntityId,
          'saml.ssoUrl': metadata.ssoUrl,
          'saml.sloUrl': metadata.sloUrl ?? null,
        };
        const moved = tenant.saml?.ssoUrl !== metadata.ssoUrl || (tenant.saml?.sloUrl ?? null) !== (metadata.sloUrl ?? null);
        if (hasChanges(changes) || moved) await writeCertificates(tenantId, changes.next, endpoints);
        const actor = actorOf(staffEmail);
        for (const thumbprint of changes.staged) await auditCertificate(tenantId, 'sso.certificate.staged', actor, { thumbprint, trigger });
        for (const thumbprint of changes.unpublished)
          await auditCertificate(tenantId, 'sso.certificate.unpublished', actor, {
            thumbprint,
            trigger,
            trustedUntil: 'its expiry, or until staff retire it',
          });
        for (const thumbprint of changes.republished)
          await auditCertificate(tenantId, 'sso.certificate.republished', actor, { thumbprint, trigger });
        for (const thumbprint of changes.dropped) await auditCertificate(tenantId, 'sso.certificate.expired', actor, { thumbprint });
        if (moved)
          await auditCertificate(tenantId, 'sso.metadata.endpoints-changed', actor, {
            ssoUrl: metadata.ssoUrl,
            sloUrl: metadata.sloUrl ?? null,
          });
        return {
          certificates: changes.next.map(trustedView),
          staged: changes.staged,
          unpublished: changes.unpublished,
          dropped: changes.dropped,
        };
      });
    },

    async retireCertificate({
      tenantId,
      thumbprint,
      staffEmail,
      reason,
    }: {
      tenantId: string;
      thumbprint: string;
      staffEmail: string;
      reason: string;
    }) {
      return withLock(`sso-certificates:${tenantId}`, async () => {
        const stored = storedOf(await loadTenant(tenantId));
        const next = stored.filter((c) => c.thumbprint !== thumbprint);
        if (next.length !== stored.length) {
          await writeCertificates(tenantId, next);
          await auditCertificate(tenantId, 'sso.certificate.retired', actorOf(staffEmail), { thumbprint, reason });
        }
        return next.map(trustedView);
      });
    },

    /** Records the rollover proof the ACS reported (it audited the sign-in itself). */
    async markCertificateProven({ tenantId, thumbprint, at }: { tenantId: string; thumbprint: string; at: string }) {
      return (await markCertificateProven(tenantId, thumbprint, new Date(at))).map(trustedView);
    },
  };
}

/**
 * Where a connection's metadata is re-read from: Entra's for an Entra tenancy; the URL the
 * customer gave at the metadata exchange for other kinds (same SSRF rules), which must still
 * name the same IdP. Undefined when there is no URL (the metadata was uploaded).
 */
async function fetchMetadataOf(tenant: Awaited<ReturnType<typeof loadTenant>>, config: ActivityDeps['config']) {
  const { tenantId } = tenant;
  const kind = tenant.connection?.kind ?? 'entra';
  if (kind === 'entra')
    return parseFederationMetadata(await fetchFederationMetadata(config, tenantId, tenant.saml?.appId ?? undefined), { tenantId });
  const url = tenant.connection?.metadataUrl;
  if (!url) return undefined;
  const metadata = parseIdpMetadata(await fetchIdpMetadata(url, { production: config.NODE_ENV === 'production' }));
  if (metadata.idpEntityId !== tenant.saml?.idpEntityId)
    throw new Refusal(
      FailureType.TenantMismatch,
      `the metadata at ${url} is for "${metadata.idpEntityId}", expected "${tenant.saml?.idpEntityId}"`,
    );
  return metadata;
}

async function auditRefreshFailure(tenantId: string, trigger: RefreshTrigger, staffEmail: string | undefined, err: unknown): Promise<void> {
  await audit({
    action: 'sso.metadata.refresh',
    outcome: 'failure',
    actor: actorOf(staffEmail),
    target: { type: 'tenant', id: tenantId },
    tenantId,
    details: { trigger, error: err instanceof Error ? err.message : String(err) },
  });
}
