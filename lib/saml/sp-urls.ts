import type { Config } from '../config';

/**
 * Entrada's service-provider URLs for one tenant. Every tenant gets its own SP entity ID
 * and ACS so that an assertion for one tenant can never be accepted on another's endpoint;
 * the onboarding console, the SP metadata route and the SAML strategy all build them here.
 */
type UrlConfig = Pick<Config, 'PUBLIC_BASE_URL'>;

const base = (config: UrlConfig, tenantId: string) => `${config.PUBLIC_BASE_URL}/saml/${tenantId.toLowerCase()}`;

/** SP entity ID (the "Identifier (Entity ID)" the customer enters in Entra). */
export const spEntityId = (config: UrlConfig, tenantId: string) => base(config, tenantId);
/** Assertion Consumer Service (Entra's "Reply URL"). */
export const acsUrl = (config: UrlConfig, tenantId: string) => `${base(config, tenantId)}/acs`;
/** Single logout endpoint (Entra's "Logout URL"). */
export const sloUrl = (config: UrlConfig, tenantId: string) => `${base(config, tenantId)}/slo`;
/** Downloadable SP metadata the customer uploads to Entra. */
export const spMetadataUrl = (config: UrlConfig, tenantId: string) => `${base(config, tenantId)}/metadata`;
