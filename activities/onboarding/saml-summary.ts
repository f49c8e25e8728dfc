import type { SamlSummary } from '../../lib/contracts/onboarding-state';
import type { FederationMetadata } from '../../lib/saml/federation-metadata';

/** What the onboarding keeps of imported metadata (Entra's or another IdP's), for staff and the checklist. */
export function samlSummaryOf(metadata: FederationMetadata, source: SamlSummary['source']): SamlSummary {
  return {
    idpEntityId: metadata.idpEntityId,
    ssoUrl: metadata.ssoUrl,
    ...(metadata.sloUrl ? { sloUrl: metadata.sloUrl } : {}),
    certificates: metadata.certificates.map((c) => ({
      thumbprint: c.thumbprint,
      subject: c.subject,
      notAfter: c.notAfter.toISOString(),
    })),
    expiredCertificates: metadata.expiredCertificates,
    source,
    importedAt: new Date().toISOString(),
  };
}
