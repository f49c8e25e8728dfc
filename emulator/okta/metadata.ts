/**
 * The app's "Identity Provider metadata" as Okta serves it: an unsigned EntityDescriptor with
 * the issuer as entityID, one signing certificate, the NameID format, and SSO over POST and
 * Redirect (no SLO unless single logout is switched on, which the emulator does not model).
 */
import { certBody } from '../certificates';
import { NS, x } from '../xml';
import { OKTA_NAMEID_FORMATS, type OktaApp } from './org';

export function oktaMetadataXml(app: OktaApp): string {
  const certs = app
    .signingCertificates()
    .map(
      (c) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${NS.ds}"><ds:X509Data><ds:X509Certificate>${certBody(c.certPem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="${NS.md}" entityID="${x(app.issuer)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="${NS.samlp}">${certs}` +
    `<md:NameIDFormat>${OKTA_NAMEID_FORMATS[app.nameId]}</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${x(app.ssoUrl())}"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${x(app.ssoUrl())}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}
