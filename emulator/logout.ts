/**
 * Single logout: Entra answers an SP's LogoutRequest with a LogoutResponse sent by HTTP-Redirect
 * to the application's logout URL, signed in the query string (SigAlg + Signature over the
 * exact encoded "SAMLResponse=..&RelayState=..&SigAlg=.." string, per SAML bindings §3.4.4.1).
 * The emulator has no IdP session cookie, so "logging out" is only this protocol answer. It can
 * also start a logout itself (Entra signing a user out of every application): issueLogoutRequest.
 */
import { randomUUID, sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import type { LogoutRequestInfo } from './authn-request';
import type { Tenant } from './tenants';
import { NS, samlTime, signEnveloped, x } from './xml';

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

export function buildLogoutResponse(tenant: Tenant, request: LogoutRequestInfo, destination: string, now = new Date()): string {
  return (
    `<samlp:LogoutResponse xmlns:samlp="${NS.samlp}" ID="_${randomUUID()}" Version="2.0" IssueInstant="${samlTime(now)}" ` +
    `Destination="${x(destination)}" InResponseTo="${x(request.id)}">` +
    `<Issuer xmlns="${NS.saml}">${x(tenant.issuer)}</Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success" /></samlp:Status>` +
    `</samlp:LogoutResponse>`
  );
}

/** The full redirect URL to the SP's logout endpoint, carrying a signed LogoutResponse. */
export function logoutRedirectUrl(tenant: Tenant, request: LogoutRequestInfo, logoutUrl: string, relayState?: string): string {
  return signedRedirect(tenant, logoutUrl, 'SAMLResponse', buildLogoutResponse(tenant, request, logoutUrl), relayState);
}

/** HTTP-Redirect binding: the deflated message, signed in the query string (SigAlg + Signature). */
function signedRedirect(tenant: Tenant, url: string, param: 'SAMLRequest' | 'SAMLResponse', xml: string, relayState?: string): string {
  const parts = [`${param}=${encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`];
  if (relayState !== undefined) parts.push(`RelayState=${encodeURIComponent(relayState)}`);
  parts.push(`SigAlg=${encodeURIComponent(RSA_SHA256)}`);
  const signed = parts.join('&');
  const signature = sign('sha256', Buffer.from(signed, 'utf8'), tenant.activeCertificate().privateKeyPem).toString('base64');
  return `${url}${url.includes('?') ? '&' : '?'}${signed}&Signature=${encodeURIComponent(signature)}`;
}

export interface IdpLogoutInput {
  /** The NameID of the sign-in being ended (Entra's: the user's email or UPN). */
  nameId: string;
  sessionIndex?: string;
  /** The SP's logout URL. */
  destination: string;
  relayState?: string;
}

export interface IssuedLogoutRequest {
  /** HTTP-Redirect binding: the URL the browser is sent to. */
  redirectUrl: string;
  /** HTTP-POST binding: the SAMLRequest form field (base64, enveloped signature). */
  samlRequest: string;
  xml: string;
}

/** Entra signing a user out of an application (IdP-initiated single logout), in both bindings. */
export function issueLogoutRequest(tenant: Tenant, input: IdpLogoutInput, now = new Date()): IssuedLogoutRequest {
  const sessionIndex = input.sessionIndex ? `<samlp:SessionIndex>${x(input.sessionIndex)}</samlp:SessionIndex>` : '';
  const xml =
    `<samlp:LogoutRequest xmlns:samlp="${NS.samlp}" ID="_${randomUUID()}" Version="2.0" IssueInstant="${samlTime(now)}" ` +
    `Destination="${x(input.destination)}"><Issuer xmlns="${NS.saml}">${x(tenant.issuer)}</Issuer>` +
    `<NameID xmlns="${NS.saml}" Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${x(input.nameId)}</NameID>` +
    `${sessionIndex}</samlp:LogoutRequest>`;
  const cert = tenant.activeCertificate();
  const signed = signEnveloped(xml, { privateKeyPem: cert.privateKeyPem, certPem: cert.certPem, element: '/*' });
  return {
    redirectUrl: signedRedirect(tenant, input.destination, 'SAMLRequest', xml, input.relayState),
    samlRequest: Buffer.from(signed, 'utf8').toString('base64'),
    xml,
  };
}
