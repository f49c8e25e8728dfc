/**
 * Tenant federation metadata, modelled element for element on the real document in
 * fixtures/entra/federationmetadata-6e89e984.xml: EntityDescriptor (ID + entityID
 * https://sts.windows.net/<tid>/) with an enveloped signature as first child, the two WS-Fed
 * RoleDescriptors, then the IDPSSODescriptor with every signing certificate, SLO (Redirect) and
 * SSO (Redirect + POST). Like Entra, the document is signed with one of the keys it publishes
 * (here: the tenant's active signing certificate), and is served as a single line.
 *
 * Deliberate differences: no UTF-8 BOM, and `?appid=` returns the same certificates (the
 * emulator signs every app's tokens with the tenant certificates; real Entra would publish the
 * app's own "Microsoft Azure Federated SSO Certificate").
 */
import { randomUUID } from 'node:crypto';
import { certBody } from './certificates';
import type { Tenant } from './tenants';
import { NS, signEnveloped, x } from './xml';

const FED = 'http://docs.oasis-open.org/wsfed/federation/200706';
const AUTH = 'http://docs.oasis-open.org/wsfed/authorization/200706';
const WSA = 'http://www.w3.org/2005/08/addressing';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/** ClaimTypesOffered, as Entra lists them (URI, display name, description). */
const CLAIM_TYPES: [string, string, string][] = [
  ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', 'Name', 'The mutable display name of the user.'],
  [
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
    'Subject',
    'An immutable, globally unique, non-reusable identifier of the user that is unique to the application for which a token is issued.',
  ],
  ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', 'Given Name', 'First name of the user.'],
  ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname', 'Surname', 'Last name of the user.'],
  ['http://schemas.microsoft.com/identity/claims/displayname', 'Display Name', 'Display name of the user.'],
  ['http://schemas.microsoft.com/identity/claims/nickname', 'Nick Name', 'Nick name of the user.'],
  [
    'http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationinstant',
    'Authentication Instant',
    'The time (UTC) when the user is authenticated to Windows Azure Active Directory.',
  ],
  [
    'http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod',
    'Authentication Method',
    'The method that Windows Azure Active Directory uses to authenticate users.',
  ],
  [
    'http://schemas.microsoft.com/identity/claims/objectidentifier',
    'ObjectIdentifier',
    'Primary identifier for the user in the directory. Immutable, globally unique, non-reusable.',
  ],
  ['http://schemas.microsoft.com/identity/claims/tenantid', 'TenantId', "Identifier for the user's tenant."],
  ['http://schemas.microsoft.com/identity/claims/identityprovider', 'IdentityProvider', 'Identity provider for the user.'],
  ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', 'Email', 'Email address of the user.'],
  ['http://schemas.microsoft.com/ws/2008/06/identity/claims/groups', 'Groups', 'Groups of the user.'],
  [
    'http://schemas.microsoft.com/identity/claims/accesstoken',
    'External Access Token',
    'Access token issued by external identity provider.',
  ],
  [
    'http://schemas.microsoft.com/ws/2008/06/identity/claims/expiration',
    'External Access Token Expiration',
    'UTC expiration time of access token issued by external identity provider.',
  ],
  [
    'http://schemas.microsoft.com/identity/claims/openid2_id',
    'External OpenID 2.0 Identifier',
    'OpenID 2.0 identifier issued by external identity provider.',
  ],
  [
    'http://schemas.microsoft.com/claims/groups.link',
    'GroupsOverageClaim',
    "Issued when number of user's group claims exceeds return limit.",
  ],
  ['http://schemas.microsoft.com/ws/2008/06/identity/claims/role', 'Role Claim', 'Roles that the user or Service Principal is attached to'],
  [
    'http://schemas.microsoft.com/ws/2008/06/identity/claims/wids',
    'RoleTemplate Id Claim',
    'Role template id of the Built-in Directory Roles that the user is a member of',
  ],
];

const endpoint = (address: string) =>
  `<wsa:EndpointReference xmlns:wsa="${WSA}"><wsa:Address>${x(address)}</wsa:Address></wsa:EndpointReference>`;

export function buildFederationMetadata(tenant: Tenant, baseUrl: string): string {
  const tenantUrl = `${baseUrl}/${encodeURIComponent(tenant.tenantId)}`;
  const sso = x(`${tenantUrl}/saml2`);
  const wsfed = `${tenantUrl}/wsfed`;
  const keys = tenant
    .signingCertificates()
    .map(
      (c) =>
        `<KeyDescriptor use="signing"><KeyInfo xmlns="${NS.ds}"><X509Data><X509Certificate>${certBody(c.certPem)}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>`,
    )
    .join('');
  const roleAttrs = `protocolSupportEnumeration="${FED}" xmlns:xsi="${XSI}" xmlns:fed="${FED}"`;
  const claimTypes = CLAIM_TYPES.map(
    ([uri, name, description]) =>
      `<auth:ClaimType Uri="${x(uri)}" xmlns:auth="${AUTH}"><auth:DisplayName>${x(name)}</auth:DisplayName><auth:Description>${x(description)}</auth:Description></auth:ClaimType>`,
  ).join('');
  const id = `_${randomUUID()}`;

  const unsigned =
    `<EntityDescriptor ID="${id}" entityID="${x(tenant.issuer)}" xmlns="${NS.md}">` +
    `<RoleDescriptor xsi:type="fed:SecurityTokenServiceType" ${roleAttrs}>${keys}` +
    `<fed:ClaimTypesOffered>${claimTypes}</fed:ClaimTypesOffered>` +
    `<fed:SecurityTokenServiceEndpoint>${endpoint(wsfed)}</fed:SecurityTokenServiceEndpoint>` +
    `<fed:PassiveRequestorEndpoint>${endpoint(wsfed)}</fed:PassiveRequestorEndpoint></RoleDescriptor>` +
    `<RoleDescriptor xsi:type="fed:ApplicationServiceType" ${roleAttrs}>${keys}` +
    `<fed:TargetScopes>${endpoint(tenant.issuer)}</fed:TargetScopes>` +
    `<fed:ApplicationServiceEndpoint>${endpoint(wsfed)}</fed:ApplicationServiceEndpoint>` +
    `<fed:PassiveRequestorEndpoint>${endpoint(wsfed)}</fed:PassiveRequestorEndpoint></RoleDescriptor>` +
    `<IDPSSODescriptor protocolSupportEnumeration="${NS.samlp}">${keys}` +
    `<SingleLogoutService Binding="${REDIRECT}" Location="${sso}" />` +
    `<SingleSignOnService Binding="${REDIRECT}" Location="${sso}" />` +
    `<SingleSignOnService Binding="${POST}" Location="${sso}" />` +
    `</IDPSSODescriptor></EntityDescriptor>`;

  const signer = tenant.activeCertificate();
  const signed = signEnveloped(unsigned, {
    privateKeyPem: signer.privateKeyPem,
    certPem: signer.certPem,
    element: '/*',
    placement: 'first-child',
  });
  return `<?xml version="1.0" encoding="utf-8"?>${signed}`;
}
