/**
 * Single logout: Entra answers an SP's LogoutRequest with a LogoutResponse sent by HTTP-Redirect
 * to the application's logout URL, signed in the query string (SigAlg + Signature over the
 * exact encoded "SAMLResponse=..&RelayState=..&SigAlg=.." string, per SAML bindings §3.4.4.1).
 * The emulator has no IdP session cookie, so "logging out" is only this protocol answer.
 */
import { randomUUID, sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import type { LogoutRequestInfo } from './authn-request';
import type { Tenant } from './tenants';
import { NS, samlTime, x } from './xml';

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
  const xml = buildLogoutResponse(tenant, request, logoutUrl);
  const parts = [`SAMLResponse=${encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`];
  if (relayState !== undefined) parts.push(`RelayState=${encodeURIComponent(relayState)}`);
  parts.push(`SigAlg=${encodeURIComponent(RSA_SHA256)}`);
  const signed = parts.join('&');
  const signature = sign('sha256', Buffer.from(signed, 'utf8'), tenant.activeCertificate().privateKeyPem).toString('base64');
  return `${logoutUrl}${logoutUrl.includes('?') ? '&' : '?'}${signed}&Signature=${encodeURIComponent(signature)}`;
}
