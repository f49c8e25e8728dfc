import { ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import type { Element, Node } from '@xmldom/xmldom';
import { createPublicKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { SamlRejection } from '../rejection';

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const XMLNS = 'http://www.w3.org/2000/xmlns/';
const EXC_C14N = new ExclusiveCanonicalization().getAlgorithmName();
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
/** xml-crypto's own algorithm tables (it rejects HMAC by default): what the check accepts. */
const ALGORITHMS = new SignedXml();

const unsigned = (received: string) =>
  new SamlRejection('signature-invalid', 'The assertion is not signed as the connection requires', 'a signed Assertion', received);

function childrenOf(parent: Element, ns: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === localName) found.push(n as Element);
  return found;
}

/** The namespaces declared on the assertion's ancestors, nearest first: an InclusiveNamespaces prefix may need them. */
function ancestorNamespaces(node: Element): { prefix: string; namespaceURI: string }[] {
  const seen = new Map<string, string>();
  for (let p = node.parentNode as Element | null; p && p.nodeType === 1; p = p.parentNode as Element | null)
    for (let i = 0; i < p.attributes.length; i++) {
      const a = p.attributes.item(i)!;
      if (a.namespaceURI === XMLNS && a.prefix === 'xmlns' && !seen.has(a.localName!)) seen.set(a.localName!, a.value);
    }
  return [...seen].map(([prefix, namespaceURI]) => ({ prefix, namespaceURI }));
}

const sameDigest = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a, 'base64'), Buffer.from(b, 'base64')];
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The Algorithm attribute of the one `localName` child, if there is exactly one. */
const algorithmOf = (parent: Element, localName: string) => {
  const found = childrenOf(parent, DSIG, localName);
  return found.length === 1 ? found[0]!.getAttribute('Algorithm') : null;
};

/**
 * The one Reference of a SignedInfo, read from the document as parsed: xml-crypto's
 * `loadSignature` serializes the signature, re-parses its canonical SignedInfo and scans it with
 * XPath, half this check's time. Reading the DOM is equivalent here because a response with a
 * comment or a DOCTYPE was refused before (checks/message.ts), so the canonical SignedInfo says
 * what the parsed one says.
 */
function referenceOf(signedInfo: Element) {
  const refs = childrenOf(signedInfo, DSIG, 'Reference');
  const [ref] = refs;
  if (refs.length !== 1 || !ref) return null;
  const [transformsNode, ...moreTransforms] = childrenOf(ref, DSIG, 'Transforms');
  const transforms = transformsNode ? childrenOf(transformsNode, DSIG, 'Transform') : [];
  const digestValue = childrenOf(ref, DSIG, 'DigestValue');
  const prefixes = transforms
    .flatMap((t) => childrenOf(t, EXC_C14N, 'InclusiveNamespaces'))
    .flatMap((n) => (n.getAttribute('PrefixList') ?? '').split(' '))
    .filter(Boolean);
  return {
    uri: ref.getAttribute('URI'),
    transforms: moreTransforms.length ? [] : transforms.map((t) => t.getAttribute('Algorithm') ?? ''),
    digestAlgorithm: algorithmOf(ref, 'DigestMethod'),
    digestValue: digestValue.length === 1 ? (digestValue[0]!.textContent ?? '').replace(/\s+/g, '') : '',
    inclusiveNamespacesPrefixList: prefixes,
  };
}

/**
 * The assertion as the two transforms give it (enveloped signature, then exclusive
 * canonicalization), canonicalized in place with its Signature taken out meanwhile: xml-crypto
 * would deep-clone the assertion first, which costs four times the canonicalization. The
 * Signature is put back before returning; like xml-crypto's copy, the assertion may keep a
 * declaration of an inclusive prefix from an ancestor, which changes nothing it means. (Comments
 * would be kept, but a response with any was refused before.)
 */
function envelopedCanonical(assertion: Element, signature: Element, inclusiveNamespacesPrefixList: string[]): string {
  const next = signature.nextSibling;
  assertion.removeChild(signature);
  try {
    return new ExclusiveCanonicalization()
      .process(assertion as unknown as Node, {
        inclusiveNamespacesPrefixList,
        ancestorNamespaces: ancestorNamespaces(assertion),
        defaultNsForPrefix: SignedXml.defaultNsForPrefix,
      })
      .toString();
  } finally {
    assertion.insertBefore(signature, next);
  }
}

/** Certificates parsed once: reading a PEM costs more than the RSA verification it feeds. */
const keys = new Map<string, KeyObject>();
function publicKeyOf(pem: string): KeyObject {
  let key = keys.get(pem);
  if (!key) {
    if (keys.size >= 1_000) keys.clear();
    keys.set(pem, (key = createPublicKey(pem)));
  }
  return key;
}

/**
 * "The Assertion is signed too", for connections that demand the Response and the Assertion both
 * signed (Okta's preset). It runs after node-saml has verified the Response's signature, which is
 * required and covers every byte of the assertion, the assertion's own Signature included: nothing
 * checked here can have been altered, and signature wrapping was node-saml's to refuse (one
 * assertion, the Response's reference on its root). What is left to prove is that the IdP also
 * signed the assertion: one enveloped signature on it whose one reference names it, whose digest
 * matches it and whose SignedInfo verifies with a trusted certificate, with xml-crypto's
 * canonicalizers and algorithms.
 *
 * Why not node-saml's second pass: it re-parses the whole response and xml-crypto scans the
 * document with XPath five times per signature, which made a second signature cost as much as the
 * first (BENCHMARKS.md, connection kinds); here it is checked on the document already parsed
 * (checks/message.ts).
 */
export function assertionSignedToo(root: Element, certificates: readonly string[]): void {
  const [assertion, ...others] = childrenOf(root, SAML, 'Assertion');
  if (!assertion || others.length) throw unsigned(`${others.length + (assertion ? 1 : 0)} assertions`);
  const signatures = childrenOf(assertion, DSIG, 'Signature');
  if (signatures.length !== 1) throw unsigned(`${signatures.length} signatures on the assertion`);
  const signature = signatures[0]!;
  const signedInfos = childrenOf(signature, DSIG, 'SignedInfo');
  const signatureValues = childrenOf(signature, DSIG, 'SignatureValue');
  const signedInfo = signedInfos.length === 1 ? signedInfos[0] : undefined;
  const signatureValue = signatureValues.length === 1 ? signatureValues[0]!.textContent?.replace(/\s+/g, '') : undefined;
  if (!signedInfo || !signatureValue) throw unsigned('an incomplete Signature');

  const ref = referenceOf(signedInfo);
  if (!ref || ref.uri !== `#${assertion.getAttribute('ID')}`) throw unsigned(`a signature over ${ref?.uri ?? 'several references'}`);
  // Enveloped, then exclusive canonicalization: the transforms SAML's signature profile uses.
  if (ref.transforms.length !== 2 || ref.transforms[0] !== ENVELOPED || ref.transforms[1] !== EXC_C14N)
    throw unsigned(`transforms ${ref.transforms.join(', ') || 'none'}`);
  const c14n = algorithmOf(signedInfo, 'CanonicalizationMethod');
  if (c14n !== EXC_C14N) throw unsigned(`SignedInfo canonicalized by ${c14n}`);
  const signatureAlgorithm = algorithmOf(signedInfo, 'SignatureMethod');
  const Hash = ref.digestAlgorithm ? ALGORITHMS.HashAlgorithms[ref.digestAlgorithm] : undefined;
  const Signer = signatureAlgorithm ? ALGORITHMS.SignatureAlgorithms[signatureAlgorithm] : undefined;
  if (!Hash || !Signer) throw unsigned(`algorithms ${ref.digestAlgorithm}, ${signatureAlgorithm}`);

  const canonical = envelopedCanonical(assertion, signature, ref.inclusiveNamespacesPrefixList);
  if (!sameDigest(new Hash().getHash(canonical), ref.digestValue)) throw unsigned('a digest that does not match the assertion');

  const canonicalSignedInfo = ALGORITHMS.getCanonXml([EXC_C14N], signedInfo as unknown as Node);
  const signer = new Signer();
  if (!certificates.some((pem) => signer.verifySignature(canonicalSignedInfo, publicKeyOf(pem), signatureValue)))
    throw unsigned('a signature no trusted certificate verifies');
}
