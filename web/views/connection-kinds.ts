import type { ConnectionKind } from '../../lib/idp/settings';

/** How the consoles name each connection kind. */
export const CONNECTION_KIND_LABELS: Record<ConnectionKind, string> = {
  entra: 'Microsoft Entra ID',
  okta: 'Okta',
  saml: 'Another SAML 2.0 IdP (ADFS, Ping, Keycloak, …)',
};
