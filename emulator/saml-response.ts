/**
 * SAML 2.0 Response in exactly Entra's shape (see fixtures/entra/samlp-response-2018-*.xml):
 * `samlp:Response` with an unprefixed Issuer, Status Success, and an Assertion in the default
 * namespace whose Signature follows its Issuer. Claim URIs and their order are Entra's.
 * Lifetimes are Entra's: Conditions from 5 minutes before to 1 hour after issue,
 * SubjectConfirmationData valid for 5 minutes.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatedUser, IssueSamlResponseInput, IssuedSamlResponse } from './index';
import { EmulatorError, userNotFoundInDirectory } from './errors';
import type { Tenant } from './tenants';
import { isHttpUrl } from './urls';
import { NS, samlTime, signEnveloped, x } from './xml';

const MINUTE = 60_000;
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

function attribute(name: string, values: string[]): string {
  if (values.length === 0) return ''; // Entra omits empty claims rather than sending them blank
  return `<Attribute Name="${x(name)}">${values.map((v) => `<AttributeValue>${x(v)}</AttributeValue>`).join('')}</Attribute>`;
}

function claims(tenantIdClaim: string, tenantIssuer: string, user: EmulatedUser): string {
  const groups =
    user.groups.length > GROUPS_OVERAGE_LIMIT
      ? attribute(CLAIMS.groupsLink, [`https://graph.windows.net/${tenantIdClaim}/users/${user.objectId}/getMemberObjects`])
      : attribute(CLAIMS.groups, user.groups);
  return [
    attribute(CLAIMS.tenantId, [tenantIdClaim]),
    attribute(CLAIMS.objectId, [user.objectId]),
    attribute(CLAIMS.displayName, [user.displayName]),
    groups,
    attribute(CLAIMS.roles, user.roles ?? []),
    attribute(CLAIMS.identityProvider, [tenantIssuer]),
    attribute(CLAIMS.authnMethods, user.mfa ? [PASSWORD_AMR, MFA_AMR] : [PASSWORD_AMR]),
    attribute(CLAIMS.givenName, user.givenName ? [user.givenName] : []),
    attribute(CLAIMS.surname, user.surname ? [user.surname] : []),
    attribute(CLAIMS.email, [user.email]),
    attribute(CLAIMS.name, [user.email]),
  ].join('');
}

export function buildSamlResponse(tenant: Tenant, input: IssueSamlResponseInput): IssuedSamlResponse {
  const user = tenant.findUser(input.email);
  if (!user) throw userNotFoundInDirectory(input.email, tenant.tenantId);
  if (!isHttpUrl(input.acsUrl)) throw new EmulatorError(400, `acsUrl must be an absolute http(s) URL, got '${input.acsUrl}'`);
  if (!input.audience) throw new EmulatorError(400, 'audience (the SP entity ID) is required');

  const o = input.overrides ?? {};
  const now = input.now ?? new Date();
  const issuer = o.issuer ?? tenant.issuer;
  const responseId = `_${randomUUID()}`;
  const assertionId = `_${randomUUID()}`;
  const notBefore = o.notBefore ?? new Date(now.getTime() - 5 * MINUTE);
  const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + 60 * MINUTE);
  const confirmationEnd = o.notOnOrAfter ?? new Date(now.getTime() + 5 * MINUTE);
  const inResponseTo = input.inResponseTo ? ` InResponseTo="${x(input.inResponseTo)}"` : '';

  const assertion =
    `<Assertion xmlns="${NS.saml}" ID="${assertionId}" IssueInstant="${samlTime(now)}" Version="2.0">` +
    `<Issuer>${x(issuer)}</Issuer>` +
    `<Subject><NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${x(user.email)}</NameID>` +
    `<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<SubjectConfirmationData${inResponseTo} NotOnOrAfter="${samlTime(confirmationEnd)}" Recipient="${x(o.recipient ?? input.acsUrl)}" />` +
    `</SubjectConfirmation></Subject>` +
    `<Conditions NotBefore="${samlTime(notBefore)}" NotOnOrAfter="${samlTime(notOnOrAfter)}">` +
    `<AudienceRestriction><Audience>${x(input.audience)}</Audience></AudienceRestriction></Conditions>` +
    `<AttributeStatement>${claims(o.tenantIdClaim ?? tenant.tenantId, tenant.issuer, user)}</AttributeStatement>` +
    `<AuthnStatement AuthnInstant="${samlTime(now)}" SessionIndex="${assertionId}">` +
    `<AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef></AuthnContext>` +
    `</AuthnStatement></Assertion>`;

  let xml =
    `<samlp:Response xmlns:samlp="${NS.samlp}" ID="${responseId}" Version="2.0" IssueInstant="${samlTime(now)}" ` +
    `Destination="${x(o.destination ?? input.acsUrl)}"${inResponseTo}>` +
    `<Issuer xmlns="${NS.saml}">${x(issuer)}</Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success" /></samlp:Status>` +
    `${assertion}</samlp:Response>`;

  const cert = tenant.activeCertificate();
  const key = { privateKeyPem: cert.privateKeyPem, certPem: cert.certPem };
  // Assertion first: in 'both' mode the Response signature must cover the signed assertion.
  if (tenant.signing !== 'response') xml = signEnveloped(xml, { ...key, element: "/*/*[local-name(.)='Assertion']" });
  if (tenant.signing !== 'assertion') xml = signEnveloped(xml, { ...key, element: '/*' });

  return {
    samlResponse: Buffer.from(xml, 'utf8').toString('base64'),
    ...(input.relayState !== undefined ? { relayState: input.relayState } : {}),
    xml,
  };
}
