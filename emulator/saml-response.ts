/**
 * SAML 2.0 Response in exactly Entra's shape (see fixtures/entra/samlp-response-2018-*.xml):
 * `samlp:Response` with an unprefixed Issuer, Status Success, and an Assertion in the default
 * namespace whose Signature follows its Issuer (response-xml.ts writes it). Claim URIs and
 * their order are Entra's.
 */
import type { EmulatedUser, IssueSamlResponseInput, IssuedSamlResponse } from './index';
import { userNotFoundInDirectory } from './errors';
import { attribute, buildSignedResponse, guidId, type ElementName } from './response-xml';
import type { Tenant } from './tenants';

/** Entra stops emitting groups in SAML tokens past this many and sends groups.link instead. */
export const GROUPS_OVERAGE_LIMIT = 150;

export const CLAIMS = {
  tenantId: 'http://schemas.microsoft.com/identity/claims/tenantid',
  objectId: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  displayName: 'http://schemas.microsoft.com/identity/claims/displayname',
  groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
  groupsLink: 'http://schemas.microsoft.com/claims/groups.link',
  roles: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
  identityProvider: 'http://schemas.microsoft.com/identity/claims/identityprovider',
  authnMethods: 'http://schemas.microsoft.com/claims/authnmethodsreferences',
  givenName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  surname: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
} as const;

const PASSWORD_AMR = 'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password';
/** What Entra adds to authnmethodsreferences when the user completed MFA. */
const MFA_AMR = 'http://schemas.microsoft.com/claims/multipleauthn';

function claims(el: ElementName, tenantIdClaim: string, tenantIssuer: string, user: EmulatedUser): string {
  const groups =
    user.groups.length > GROUPS_OVERAGE_LIMIT
      ? attribute(el, CLAIMS.groupsLink, [`https://graph.windows.net/${tenantIdClaim}/users/${user.objectId}/getMemberObjects`])
      : attribute(el, CLAIMS.groups, user.groups);
  return [
    attribute(el, CLAIMS.tenantId, [tenantIdClaim]),
    attribute(el, CLAIMS.objectId, [user.objectId]),
    attribute(el, CLAIMS.displayName, [user.displayName]),
    groups,
    attribute(el, CLAIMS.roles, user.roles ?? []),
    attribute(el, CLAIMS.identityProvider, [tenantIssuer]),
    attribute(el, CLAIMS.authnMethods, user.mfa ? [PASSWORD_AMR, MFA_AMR] : [PASSWORD_AMR]),
    attribute(el, CLAIMS.givenName, user.givenName ? [user.givenName] : []),
    attribute(el, CLAIMS.surname, user.surname ? [user.surname] : []),
    attribute(el, CLAIMS.email, [user.email]),
    attribute(el, CLAIMS.name, [user.email]),
  ].join('');
}

export function buildSamlResponse(tenant: Tenant, input: IssueSamlResponseInput): IssuedSamlResponse {
  const user = tenant.findUser(input.email);
  if (!user) throw userNotFoundInDirectory(input.email, tenant.tenantId);
  const cert = tenant.activeCertificate();
  return buildSignedResponse(
    {
      issuer: tenant.issuer,
      nameId: { format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', value: user.email },
      attributes: (el) => claims(el, input.overrides?.tenantIdClaim ?? tenant.tenantId, tenant.issuer, user),
      signing: tenant.signing,
      key: { privateKeyPem: cert.privateKeyPem, certPem: cert.certPem },
      protocolPrefix: 'samlp',
      newId: guidId,
    },
    input,
  );
}
