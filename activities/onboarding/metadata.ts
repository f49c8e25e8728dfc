/**
 * Configuring: import the tenant's federation metadata (fetched from Entra or uploaded by
 * staff) and store the SAML configuration the SP uses at sign-in on the Tenant.
 */
import { audit } from '../../lib/audit';
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
    await TenantModel.updateOne(
      { tenantId: input.tenantId },
      {
        $set: {
          'saml.idpEntityId': metadata.idpEntityId,
          'saml.ssoUrl': metadata.ssoUrl,
          'saml.sloUrl': metadata.sloUrl ?? null,
          'saml.certificates': metadata.certificates.map(({ pem, thumbprint, notBefore, notAfter }) => ({
            pem,
            thumbprint,
            notBefore,
            notAfter,
          })),
          'saml.appId': appId ?? null,
          'saml.configuredAt': new Date(),
        },
        $inc: { configVersion: 1 },
      },
    );
    const summary = samlSummaryOf(metadata, source);
    await auditImport(input, source, 'success', {
      idpEntityId: summary.idpEntityId,
      thumbprints: summary.certificates.map((c) => c.thumbprint),
    });
    return summary;
  }

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
