/**
 * The metadata exchange of a non-Entra connection: the IdP's metadata (from the customer's URL,
 * fetched SSRF-safely, or uploaded XML) plus the onboarding's connection template become the
 * tenancy's validated connection settings. Refusals are audited and change nothing.
 */
import { audit } from '../../lib/audit';
import { Refusal } from '../../lib/contracts/refusal';
import { actorOf, type SamlSummary } from '../../lib/contracts/onboarding-state';
import { settingsFromMetadata, type ConnectionTemplate } from '../../lib/idp/from-metadata';
import { fetchIdpMetadata } from '../../lib/idp/metadata-url';
import { validateConnectionSettings } from '../../lib/idp/settings';
import { saveConnection } from '../../lib/idp/store';
import { parseIdpMetadata } from '../../lib/saml/federation-metadata';
import type { ActivityDeps } from '../deps';
import { samlSummaryOf } from './saml-summary';

interface ExchangeInput {
  tenantId: string;
  staffEmail: string;
  adminUserId?: string;
  template: ConnectionTemplate;
}

export function createIdpMetadataActivities({ config }: ActivityDeps) {
  // Read at call time: the activity list is also built without deps (to learn its names).
  const production = () => config.NODE_ENV === 'production';

  async function importIdp(
    input: ExchangeInput,
    source: 'url' | 'upload',
    read: () => Promise<string>,
    metadataUrl?: string,
  ): Promise<SamlSummary> {
    const auditImport = (outcome: 'success' | 'failure', details: Record<string, unknown>) =>
      audit({
        action: 'onboarding.metadata.import',
        outcome,
        actor: actorOf(input),
        target: { type: 'tenant', id: input.tenantId },
        tenantId: input.tenantId,
        details: { source, kind: input.template.kind, ...details },
      });
    let summary: SamlSummary;
    try {
      const metadata = parseIdpMetadata(await read());
      const settings = validateConnectionSettings(settingsFromMetadata(input.template, metadata), { production: production() });
      await saveConnection(input.tenantId, settings, metadataUrl ? { metadataUrl } : {});
      summary = samlSummaryOf(metadata, source);
    } catch (err) {
      if (err instanceof Refusal) await auditImport('failure', { reason: err.message });
      throw err;
    }
    await auditImport('success', { idpEntityId: summary.idpEntityId, thumbprints: summary.certificates.map((c) => c.thumbprint) });
    return summary;
  }

  return {
    importIdpMetadataFromUrl: (input: ExchangeInput & { url: string }) =>
      importIdp(input, 'url', () => fetchIdpMetadata(input.url.trim(), { production: production() }), input.url.trim()),
    importIdpMetadataXml: (input: ExchangeInput & { xml: string }) => importIdp(input, 'upload', async () => input.xml),
  };
}
