import type { FederationMetadata } from '../saml/federation-metadata';
import type { ConnectionTemplate } from '../contracts/connection-template';
import type { ConnectionSettingsInput, SsoBinding } from './settings';

export type { ConnectionTemplate };

export function settingsFromMetadata(
  template: ConnectionTemplate,
  metadata: FederationMetadata & { ssoBinding: SsoBinding },
): ConnectionSettingsInput {
  return {
    ...template,
    idpEntityId: metadata.idpEntityId,
    certificates: metadata.certificates.map((c) => c.pem),
    ssoUrl: metadata.ssoUrl,
    ssoBinding: metadata.ssoBinding,
    ...(metadata.sloUrl ? { sloUrl: metadata.sloUrl } : {}),
  };
}
