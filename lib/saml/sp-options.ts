import { ValidateInResponseTo, type SamlConfig } from '@node-saml/node-saml';
import type { Config } from '../config';
import type { Tenant } from '../models';
import { NAMEID_FORMATS } from '../idp/settings';
import type { TenantConnection } from '../idp/tenant-connection';
import { SAML_REQUEST_TTL_MS } from './request-ids';
import { acsUrl, sloUrl, spEntityId } from './sp-urls';

/** Entra's clocks are good; browsers and proxies add seconds, not minutes. */
export const ACCEPTED_CLOCK_SKEW_MS = 3 * 60 * 1000;
/** A sign-in POST arrives seconds after issue; Entra confirms bearer subjects for 5 minutes. */
export const MAX_ASSERTION_AGE_MS = 5 * 60 * 1000;

export type TenantSamlOptions = Omit<SamlConfig, 'cacheProvider'>;

/**
 * node-saml settings for one tenant, from its Tenant record and connection. What the IdP signs decides what we
 * demand: its default ("Sign SAML assertion") signs only the assertion; "Sign SAML response"
 * signs only the response, so requiring a signed assertion then would refuse every sign-in
 * (node-saml still demands one valid signature covering the assertion either way). A connection
 * that demands both (Okta's preset) also runs `assertionSignedToo` after node-saml.
 */
export function tenantSamlOptions(
  config: Pick<Config, 'PUBLIC_BASE_URL'>,
  tenant: Pick<Tenant, 'tenantId' | 'saml' | 'allowIdpInitiated'>,
  certificates: string[],
  connection?: Pick<TenantConnection, 'ssoBinding' | 'nameIdFormat'>,
): TenantSamlOptions {
  const tid = tenant.tenantId;
  const signing = tenant.saml?.signing ?? 'assertion';
  return {
    issuer: spEntityId(config, tid),
    audience: spEntityId(config, tid),
    callbackUrl: acsUrl(config, tid),
    entryPoint: tenant.saml?.ssoUrl ?? undefined,
    logoutUrl: tenant.saml?.sloUrl ?? undefined,
    logoutCallbackUrl: sloUrl(config, tid),
    idpCert: certificates,
    // "Both": node-saml verifies the Response's signature, which covers the assertion; the
    // assertion's own is then checked on the parsed document (checks/assertion-signature.ts).
    wantAssertionsSigned: signing === 'assertion',
    wantAuthnResponseSigned: signing !== 'assertion',
    // An unsolicited response has no InResponseTo to look up; the check chain then demands that the
    // signed assertion answers no request either (lib/saml/checks/entra.ts, node-saml#433).
    validateInResponseTo: tenant.allowIdpInitiated ? ValidateInResponseTo.ifPresent : ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: SAML_REQUEST_TTL_MS,
    acceptedClockSkewMs: ACCEPTED_CLOCK_SKEW_MS,
    maxAssertionAgeMs: MAX_ASSERTION_AGE_MS,
    // Entra answers AADSTS75011 when the requested context differs from how the user signed in.
    disableRequestedAuthnContext: true,
    // Let the IdP send the NameID the customer configured unless the connection names a format.
    identifierFormat: !connection || connection.nameIdFormat === 'unspecified' ? null : NAMEID_FORMATS[connection.nameIdFormat],
    authnRequestBinding: connection?.ssoBinding === 'post' ? 'HTTP-POST' : 'HTTP-Redirect',
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
  };
}
