import { generateServiceProviderMetadata } from '@node-saml/node-saml';
import type { Config } from '../config';
import { acsUrl, sloUrl, spEntityId } from './sp-urls';

/**
 * Our SP metadata for one tenancy (the customer's Entra enterprise application, or any IdP).
 * With an SP signing key configured, its certificate is listed as a signing KeyDescriptor so the
 * IdP can verify our signed LogoutResponses. That key signs nothing else: AuthnRequests stay
 * unsigned, so the metadata keeps saying AuthnRequestsSigned="false" (node-saml would claim
 * "true" whenever it lists a signing certificate).
 */
export function spMetadataXml(
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'SAML_SP_SIGNING_KEY' | 'SAML_SP_SIGNING_CERT'>,
  tenantId: string,
  signing: 'assertion' | 'response' | 'both',
): string {
  const { SAML_SP_SIGNING_KEY: privateKey, SAML_SP_SIGNING_CERT: publicCert } = config;
  const xml = generateServiceProviderMetadata({
    issuer: spEntityId(config, tenantId),
    callbackUrl: acsUrl(config, tenantId),
    logoutCallbackUrl: sloUrl(config, tenantId),
    identifierFormat: null,
    wantAssertionsSigned: signing !== 'response',
    ...(privateKey && publicCert ? { privateKey, publicCerts: [publicCert] } : {}),
  });
  return xml.replace('AuthnRequestsSigned="true"', 'AuthnRequestsSigned="false"');
}
