/**
 * Parses an Entra tenant's federation metadata into what the SP needs: IdP entity ID, SSO
 * and SLO URLs (Redirect binding) and every signing certificate with its expiry and SHA-1
 * thumbprint. Written against the real document in shared/fixtures/entra (signed, WS-Fed
 * RoleDescriptors, five signing keys).
 *
 * The metadata signature is deliberately not "verified": Entra signs the document with a key
 * the document itself publishes, so a valid signature proves nothing about who made it. Trust
 * comes from where the XML came from: fetched over HTTPS from the configured Entra login host,
 * or uploaded by staff who took it from the customer's Entra portal.
 */
import { X509Certificate } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { FailureType } from '../contracts/failures';
import { MAX_METADATA_BYTES } from '../contracts/onboarding-input';
import { Refusal } from '../contracts/refusal';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

export interface SigningCertificate {
  pem: string;
  /** SHA-1 thumbprint, upper-case hex without separators, as the Entra portal shows it. */
  thumbprint: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

export interface FederationMetadata {
  idpEntityId: string;
  ssoUrl: string;
  sloUrl?: string;
  /** Current and future certificates (rollover); expired ones are dropped. */
  certificates: SigningCertificate[];
  expiredCertificates: number;
}

/** Metadata is refused as MetadataInvalid, or TenantMismatch when it is another tenant's. */
const invalid = (message: string) => new Refusal(FailureType.MetadataInvalid, message);
const otherTenant = (message: string) => new Refusal(FailureType.TenantMismatch, message);

export const entraIssuer = (tenantId: string) => `https://sts.windows.net/${tenantId.toLowerCase()}/`;

export function parseFederationMetadata(input: string, opts: { tenantId: string; now?: Date }): FederationMetadata {
  const root = parseXml(input);
  const idpEntityId = checkEntityId(root.getAttribute('entityID') ?? '', opts.tenantId);
  // The SP sends Entra its AuthnRequest by Redirect, as it always has.
  const { ssoBinding: _binding, ...metadata } = readIdpDescriptor(root, idpEntityId, opts.now ?? new Date(), false);
  return metadata;
}

/**
 * Any SAML 2.0 IdP's metadata (Okta, ADFS, Keycloak, ...): the entity ID is whatever it says
 * (the connection then trusts exactly that issuer), the SSO endpoint is the Redirect binding's,
 * else the POST binding's.
 */
export function parseIdpMetadata(input: string, now = new Date()): FederationMetadata & { ssoBinding: 'redirect' | 'post' } {
  const root = parseXml(input);
  const idpEntityId = (root.getAttribute('entityID') ?? '').trim();
  if (!idpEntityId) throw invalid('the EntityDescriptor has no entityID');
  return readIdpDescriptor(root, idpEntityId, now, true);
}

function readIdpDescriptor(
  root: Element,
  idpEntityId: string,
  now: Date,
  postAllowed: boolean,
): FederationMetadata & { ssoBinding: 'redirect' | 'post' } {
  const idp = children(root, MD, 'IDPSSODescriptor');
  if (idp.length !== 1) throw invalid(`expected one IDPSSODescriptor, found ${idp.length}`);
  const descriptor = idp[0];
  if (!(descriptor.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/).includes(SAML2_PROTOCOL)) {
    throw invalid('the IDPSSODescriptor does not support the SAML 2.0 protocol');
  }
  const redirect = endpoint(descriptor, 'SingleSignOnService');
  const post = redirect || !postAllowed ? undefined : endpoint(descriptor, 'SingleSignOnService', POST);
  const ssoUrl = redirect ?? post;
  if (!ssoUrl) throw invalid(`no SingleSignOnService with the HTTP-Redirect${postAllowed ? ' or HTTP-POST' : ''} binding`);
  const { certificates, expired } = signingCertificates(descriptor, now);
  return {
    idpEntityId,
    ssoUrl,
    ssoBinding: redirect ? 'redirect' : 'post',
    sloUrl: endpoint(descriptor, 'SingleLogoutService'),
    certificates,
    expiredCertificates: expired,
  };
}

function parseXml(input: string): Element {
  const xml = input.replace(/^\uFEFF/, '').trim();
  if (!xml) throw invalid('the metadata is empty');
  if (Buffer.byteLength(xml) > MAX_METADATA_BYTES) throw invalid(`the metadata is larger than ${MAX_METADATA_BYTES} bytes`);
  // No DTDs at all: they serve entity-expansion and external-entity attacks, never metadata.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw invalid('DOCTYPE/ENTITY declarations are not allowed in metadata');
  let doc;
  let problem: string | undefined;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level === 'warning') return;
        problem ??= message.replace(/^\[xmldom [a-z]+\]\s*/i, '').split('\n')[0];
        throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (err) {
    throw invalid(`the metadata is not well-formed XML: ${problem ?? (err as Error).message.split('\n')[0]}`);
  }
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== MD || root.localName !== 'EntityDescriptor') {
    throw invalid(`expected a SAML metadata EntityDescriptor, got ${root ? `{${root.namespaceURI ?? ''}}${root.localName}` : 'nothing'}`);
  }
  return root;
}

function checkEntityId(entityId: string, tenantId: string): string {
  const expected = entraIssuer(tenantId);
  if (entityId.toLowerCase() === expected) return entityId;
  const other = /^https:\/\/sts\.windows\.net\/([^/]+)\/?$/i.exec(entityId)?.[1];
  if (other) throw otherTenant(`the metadata is for tenant ${other}, expected ${tenantId}`);
  throw otherTenant(`the metadata entityID is "${entityId}", expected "${expected}"`);
}

function children(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === localName) out.push(n as Element);
  }
  return out;
}

function endpoint(descriptor: Element, kind: string, binding = REDIRECT): string | undefined {
  const location =
    children(descriptor, MD, kind)
      .find((e) => e.getAttribute('Binding') === binding)
      ?.getAttribute('Location') ?? undefined;
  if (location !== undefined && !/^https?:\/\/[^\s]+$/.test(location))
    throw invalid(`${kind} Location is not an http(s) URL: "${location}"`);
  return location;
}

function signingCertificates(descriptor: Element, now: Date): { certificates: SigningCertificate[]; expired: number } {
  const byThumbprint = new Map<string, SigningCertificate>();
  for (const key of children(descriptor, MD, 'KeyDescriptor')) {
    const use = key.getAttribute('use');
    if (use && use !== 'signing') continue;
    for (const node of Array.from(key.getElementsByTagNameNS(DS, 'X509Certificate'))) {
      const cert = readCertificate(node.textContent ?? '');
      byThumbprint.set(cert.thumbprint, cert);
    }
  }
  const all = [...byThumbprint.values()];
  if (all.length === 0) throw invalid('the IDPSSODescriptor has no signing certificate');
  const certificates = all.filter((c) => c.notAfter > now);
  if (certificates.length === 0) {
    const latest = new Date(Math.max(...all.map((c) => c.notAfter.getTime())));
    throw invalid(`all ${all.length} signing certificates have expired (the latest on ${latest.toISOString()})`);
  }
  return { certificates, expired: all.length - certificates.length };
}

/** A certificate from metadata (base64 DER) or settings (PEM). */
export function readCertificate(base64OrPem: string): SigningCertificate {
  const body = base64OrPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(Buffer.from(body, 'base64'));
  } catch {
    throw invalid(`a signing certificate is not a valid X.509 certificate (starts "${body.slice(0, 16)}…")`);
  }
  return {
    pem: x509.toString(),
    thumbprint: x509.fingerprint.replace(/:/g, '').toUpperCase(),
    subject: x509.subject,
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
  };
}
