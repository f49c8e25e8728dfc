import { DOMParser, type Element } from '@xmldom/xmldom';
import { SamlRejection } from '../rejection';

/**
 * First look at a posted SAMLResponse, before node-saml (or any parser) sees it: refuse what
 * Entra never sends and what only attacks need (DOCTYPE/ENTITY declarations, comments), then
 * read the unsigned Response envelope (Issuer, Destination) for the envelope checks.
 */

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

export interface ResponseEnvelope {
  xml: string;
  /** The parsed Response, for checks after node-saml's (checks/assertion-signature.ts); unverified until then. */
  root: Element;
  issuer?: string;
  destination?: string;
  /** Whether any XML signature is present at all (tells "unsigned" from "badly signed"). */
  signed: boolean;
  /** The Response's InResponseTo, unsigned: only for finding a portal test sign-in to report a refusal to. */
  inResponseTo?: string;
}

export function decodeSamlResponse(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new SamlRejection('missing-saml-response', 'The POST has no SAMLResponse field', 'a base64 SAMLResponse', typeof value);
  }
  return Buffer.from(value, 'base64').toString('utf8');
}

/** Entity declarations enable XXE and billion-laughs; SAML never needs a DTD. */
export function refuseDoctype(xml: string): void {
  const found = /<!(DOCTYPE|ENTITY)/i.exec(xml);
  if (found)
    throw new SamlRejection('doctype-forbidden', 'XML declarations are not allowed in a SAML response', 'no DOCTYPE/ENTITY', found[0]);
}

/**
 * Comments are dropped by exclusive c14n, so they can be inserted into a signed NameID
 * (`a@corp.example<!---->.evil.example`) without breaking the signature. Entra never emits them.
 */
export function refuseComments(xml: string): void {
  const at = xml.indexOf('<!--');
  if (at >= 0)
    throw new SamlRejection(
      'xml-comment-forbidden',
      'XML comments are not allowed in a SAML response',
      'no comments',
      xml.slice(at, at + 40),
    );
}

export function parseEnvelope(xml: string): ResponseEnvelope {
  let root: Element | null;
  try {
    const doc = new DOMParser({
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(xml, 'text/xml');
    root = doc.documentElement;
    if (!root) throw new Error('empty document');
    const signed = doc.getElementsByTagNameNS(DSIG, 'Signature').length > 0;
    if (root.namespaceURI !== SAMLP || root.localName !== 'Response') {
      throw new SamlRejection(
        'malformed-xml',
        'The message is not a SAML Response',
        'samlp:Response',
        `${root.namespaceURI}:${root.localName}`,
      );
    }
    return {
      xml,
      root,
      issuer: directChildText(root, SAML, 'Issuer'),
      destination: root.getAttribute('Destination') ?? undefined,
      signed,
      inResponseTo: root.getAttribute('InResponseTo') || undefined,
    };
  } catch (err) {
    if (err instanceof SamlRejection) throw err;
    throw new SamlRejection('malformed-xml', `The SAML response is not well-formed XML: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** The whole pre-parse step: decode, refuse declarations and comments, read the envelope. */
export function readResponseEnvelope(samlResponse: unknown): ResponseEnvelope {
  const xml = decodeSamlResponse(samlResponse);
  refuseDoctype(xml);
  refuseComments(xml);
  return parseEnvelope(xml);
}

function directChildText(parent: Element, ns: string, localName: string): string | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    const el = n as Element;
    if (n.nodeType === 1 && el.namespaceURI === ns && el.localName === localName) return el.textContent?.trim() ?? '';
  }
  return undefined;
}
