/**
 * XML helpers shared by metadata, SAML responses and request parsing.
 *
 * Documents are built as strings (so the output is byte-for-byte the shape Entra serves, with
 * no serializer reformatting), which makes escaping every interpolated value mandatory: use `x`.
 * Signing is always Entra's profile: enveloped, exc-c14n, RSA-SHA256, SHA-256 digest, the
 * signer's certificate in KeyInfo, and the Signature placed right after the signed element's Issuer.
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { EmulatorError } from './errors';

/** Escapes text and attribute values (quotes included, so it is safe in both). */
export function x(value: string | number): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** SAML timestamps as Entra writes them: UTC, millisecond precision. */
export const samlTime = (d: Date) => d.toISOString();

export const NS = {
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/**
 * Parses untrusted XML. DTDs are refused outright (entity expansion and XXE have no place in
 * SAML), and any parser error or warning is fatal instead of being "recovered" from.
 */
export function parseUntrustedXml(xml: string): Document {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new EmulatorError(400, 'XML with a DOCTYPE or ENTITY declaration is refused', 'AADSTS75005');
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, msg) => {
        throw new Error(`${level}: ${msg}`);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (err) {
    throw new EmulatorError(400, `Malformed XML: ${(err as Error).message.split('\n')[0]}`, 'AADSTS75005');
  }
  if (!doc.documentElement) throw new EmulatorError(400, 'Empty XML document', 'AADSTS75005');
  return doc;
}

/** First direct child element with this namespace and local name. */
export function child(parent: Element, ns: string, localName: string): Element | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === localName) return n as Element;
  }
  return undefined;
}

export interface SignOptions {
  privateKeyPem: string;
  certPem: string;
  /** XPath of the element to sign (it must carry an ID attribute). */
  element: string;
  /** Where the Signature goes: after the element's Issuer (SAML) or as its first child (metadata). */
  placement?: 'after-issuer' | 'first-child';
  /** The reference's InclusiveNamespaces PrefixList (exclusive canonicalization). */
  inclusivePrefixes?: string[];
}

/** Enveloped signature over `element`, placed as SAML and Entra's metadata place it. */
export function signEnveloped(xml: string, opts: SignOptions): string {
  const sig = new SignedXml({
    privateKey: opts.privateKeyPem,
    publicCert: opts.certPem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: opts.element,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    ...(opts.inclusivePrefixes ? { inclusiveNamespacesPrefixList: opts.inclusivePrefixes } : {}),
  });
  const location =
    opts.placement === 'first-child'
      ? { reference: opts.element, action: 'prepend' as const }
      : { reference: `${opts.element}/*[local-name(.)='Issuer']`, action: 'after' as const };
  sig.computeSignature(xml, { location });
  return sig.getSignedXml();
}
