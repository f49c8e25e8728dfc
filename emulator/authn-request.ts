/**
 * Decoding and parsing of the SAML requests an SP sends to /<tid>/saml2:
 * AuthnRequest (sign-in) and LogoutRequest (single logout).
 *
 * HTTP-Redirect carries base64(raw DEFLATE(xml)); HTTP-POST carries base64(xml). Input is
 * untrusted: size-capped before and after inflating (no deflate bombs), DTDs refused, and the
 * fields Entra insists on are required. Request signatures (SigAlg/Signature) are not checked,
 * as in Entra's default configuration ("signed requests" off).
 */
import { inflateRawSync } from 'node:zlib';
import type { Element } from '@xmldom/xmldom';
import { EmulatorError, invalidSamlRequest } from './errors';
import { child, NS, parseUntrustedXml } from './xml';

const MAX_ENCODED = 64 * 1024;
const MAX_XML = 256 * 1024;
/** xs:ID is an NCName: Entra rejects IDs starting with a digit (AADSTS7500529). */
const NCNAME = /^[A-Za-z_][\w.-]*$/;

export interface AuthnRequestInfo {
  kind: 'authn';
  id: string;
  issuer: string;
  acsUrl?: string;
  destination?: string;
  forceAuthn: boolean;
  isPassive: boolean;
}

export interface LogoutRequestInfo {
  kind: 'logout';
  id: string;
  issuer: string;
  nameId?: string;
  sessionIndex?: string;
}

export type SamlRequestInfo = AuthnRequestInfo | LogoutRequestInfo;

export function decodeSamlRequest(encoded: unknown, binding: 'redirect' | 'post'): string {
  if (typeof encoded !== 'string' || encoded.length === 0) {
    throw new EmulatorError(
      400,
      'SAMLRequest or SAMLResponse must be present as query string parameters in HTTP request for SAML Redirect binding.',
      'AADSTS750054',
    );
  }
  if (encoded.length > MAX_ENCODED) throw invalidSamlRequest('The SAMLRequest is too large.');
  // An SP that forgot to URL-encode turns base64 '+' into a space; undo that rather than fail.
  const raw = Buffer.from(encoded.replace(/ /g, '+'), 'base64');
  if (binding === 'post') return raw.toString('utf8');
  try {
    return inflateRawSync(raw, { maxOutputLength: MAX_XML }).toString('utf8');
  } catch {
    throw invalidSamlRequest('The SAMLRequest is not base64-encoded raw DEFLATE data, as the HTTP-Redirect binding requires.');
  }
}

function text(el: Element | undefined): string | undefined {
  const value = el?.textContent?.trim();
  return value ? value : undefined;
}

export function parseSamlRequest(xml: string): SamlRequestInfo {
  const root = parseUntrustedXml(xml).documentElement!;
  if (root.namespaceURI !== NS.samlp || (root.localName !== 'AuthnRequest' && root.localName !== 'LogoutRequest')) {
    throw invalidSamlRequest(`Expected a samlp:AuthnRequest or samlp:LogoutRequest, got '${root.localName}'.`);
  }
  const id = root.getAttribute('ID') ?? '';
  if (!id) throw invalidSamlRequest('The request has no ID attribute.');
  if (!NCNAME.test(id)) {
    throw new EmulatorError(400, `The value '${id}' is not a valid SAML ID. The ID must not begin with a number.`, 'AADSTS7500529');
  }
  const issuer = text(child(root, NS.saml, 'Issuer'));
  if (!issuer) throw invalidSamlRequest('The request has no Issuer: Entra needs it to find the application.');

  if (root.localName === 'LogoutRequest') {
    const nameId = text(child(root, NS.saml, 'NameID'));
    const sessionIndex = text(child(root, NS.samlp, 'SessionIndex'));
    return { kind: 'logout', id, issuer, ...(nameId ? { nameId } : {}), ...(sessionIndex ? { sessionIndex } : {}) };
  }
  const acsUrl = root.getAttribute('AssertionConsumerServiceURL') || undefined;
  const destination = root.getAttribute('Destination') || undefined;
  return {
    kind: 'authn',
    id,
    issuer,
    ...(acsUrl ? { acsUrl } : {}),
    ...(destination ? { destination } : {}),
    forceAuthn: root.getAttribute('ForceAuthn') === 'true',
    isPassive: root.getAttribute('IsPassive') === 'true',
  };
}
