/**
 * Configuring: import the tenant's federation metadata (fetched from Entra or uploaded by
 * staff) and store the SAML configuration the SP uses at sign-in on the Tenant.
 */
import { audit } from '../../lib/audit';
import { withLock } from '../../lib/claims';
import { certificatesOnImport, type StoredCertificate } from '../../lib/connection/certificate-set';
import { TEST_PERIOD, type OnboardingStage } from '../../lib/contracts/shared';
import { Refusal } from '../../lib/contracts/refusal';
import { TenantModel } from '../../lib/models';
import { parseFederationMetadata, type FederationMetadata } from '../../lib/saml/federation-metadata';
import { actorOf, type SamlSummary } from '../../lib/contracts/onboarding-state';
import type { ActivityDeps } from '../deps';
import { fetchFederationMetadata } from './metadata-fetch';
import { samlSummaryOf } from './saml-summary';

interface ImportInput {
  tenantId: string;
  staffEmail?: string;
  /** A tenancy admin's import through the portal (lib/contracts/onboarding-state.ts actorOf). */
  adminUserId?: string;
}

export function createMetadataActivities({ config }: ActivityDeps) {
  async function importXml(input: ImportInput, xml: string, source: SamlSummary['source'], appId?: string): Promise<SamlSummary> {
    let metadata: FederationMetadata;
    try {
      metadata = parseFederationMetadata(xml, { tenantId: input.tenantId });
    } catch (err) {
      if (err instanceof Refusal) await auditImport(input, source, 'failure', { reason: err.message });
      throw err;
    }
    const { staged } = await storeCertificates(input.tenantId, metadata, appId);
    const summary = samlSummaryOf(metadata, source);
    await auditImport(input, source, 'success', {
      idpEntityId: summary.idpEntityId,
      thumbprints: summary.certificates.map((c) => c.thumbprint),
      ...(staged.length ? { staged } : {}),
    });
    return summary;
  }

  /** Under the lock the connection's refresh, proof and retirement share: none interleaves with an import. */
  const storeCertificates = (tenantId: string, metadata: FederationMetadata, appId?: string) =>
    withLock(`sso-certificates:${tenantId}`, async () => {
      const tenant = await TenantModel.findOne({ tenantId }, { stage: 1, saml: 1 }).lean();
      const stored = (tenant?.saml?.certificates ?? []) as StoredCertificate[];
      const inTestPeriod = TEST_PERIOD.includes(tenant?.stage as OnboardingStage);
      const changes = certificatesOnImport(stored, metadata.certificates, new Date(), inTestPeriod);
      await TenantModel.updateOne(
        { tenantId },
        {
          $set: {
            'saml.idpEntityId': metadata.idpEntityId,
            'saml.ssoUrl': metadata.ssoUrl,
            'saml.sloUrl': metadata.sloUrl ?? null,
            'saml.certificates': changes.next,
            'saml.appId': appId ?? null,
            'saml.configuredAt': new Date(),
          },
          $inc: { configVersion: 1 },
        },
      );
      return changes;
    });

  const auditImport = (input: ImportInput, source: string, outcome: 'success' | 'failure', details: Record<string, unknown>) =>
    audit({
      action: 'onboarding.metadata.import',
      outcome,
      actor: input.staffEmail ? actorOf({ staffEmail: input.staffEmail, adminUserId: input.adminUserId }) : { kind: 'system' },
      target: { type: 'tenant', id: input.tenantId },
      tenantId: input.tenantId,
      details: { source, ...details },
    });

  return {
    async importMetadataFromEntra(input: ImportInput & { appId?: string }): Promise<SamlSummary> {
      let xml: string;
      try {
        xml = await fetchFederationMetadata(config, input.tenantId, input.appId);
      } catch (err) {
        // Refusals (redirects elsewhere, oversize, 4xx) are audited; a 5xx is retried, not audited.
        if (err instanceof Refusal) await auditImport(input, 'entra', 'failure', { reason: err.message });
        throw err;
      }
      return importXml(input, xml, 'entra', input.appId);
    },
    async importMetadataXml(input: ImportInput & { xml: string }): Promise<SamlSummary> {
      return importXml(input, input.xml, 'upload');
    },
  };
}
