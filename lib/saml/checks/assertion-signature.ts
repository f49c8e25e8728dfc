import { ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import type { Element, Node } from '@xmldom/xmldom';
import { timingSafeEqual } from 'node:crypto';
import { SamlRejection } from '../rejection';

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const XMLNS = 'http://www.w3.org/2000/xmlns/';
const EXC_C14N = new ExclusiveCanonicalization().getAlgorithmName();

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

/**
 * "The Assertion is signed too", for connections that demand the Response and the Assertion both
 * signed (Okta's preset). It runs after node-saml has verified the Response's signature, which is
 * required and covers every byte of the assertion, the assertion's own Signature included: nothing
 * checked here can have been altered, and signature wrapping was node-saml's to refuse (one
 * assertion, the Response's reference on its root). What is left to prove is that the IdP also
 * signed the assertion: one enveloped signature on it whose reference names it, whose digest
 * matches it and whose SignedInfo verifies with a trusted certificate, with xml-crypto's own
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
  const [signedInfo] = childrenOf(signature, DSIG, 'SignedInfo');
  const signatureValue = childrenOf(signature, DSIG, 'SignatureValue')[0]?.textContent?.replace(/\s+/g, '');
  if (!signedInfo || !signatureValue) throw unsigned('an incomplete Signature');

  const sig = new SignedXml();
  sig.loadSignature(signature as unknown as Node);
  const refs = sig.getReferences();
  const ref = refs[0];
  if (refs.length !== 1 || !ref || ref.uri !== `#${assertion.getAttribute('ID')}` || ref.transforms.length > 2)
    throw unsigned(`a signature over ${refs.map((r) => r.uri).join(', ') || 'nothing'}`);
  if (sig.canonicalizationAlgorithm !== EXC_C14N) throw unsigned(`SignedInfo canonicalized by ${sig.canonicalizationAlgorithm}`);

  const Hash = sig.HashAlgorithms[ref.digestAlgorithm];
  const Signer = sig.signatureAlgorithm ? sig.SignatureAlgorithms[sig.signatureAlgorithm] : undefined;
  if (!Hash || !Signer) throw unsigned(`algorithms ${ref.digestAlgorithm}, ${sig.signatureAlgorithm}`);

  // xml-crypto canonicalizes a copy, from which the enveloped transform removes the loaded signature.
  // (Comments would be kept here, but a response with any was refused before node-saml: checks/message.ts.)
  const canonical = sig.getCanonXml(ref.transforms, assertion as unknown as Node, {
    inclusiveNamespacesPrefixList: ref.inclusiveNamespacesPrefixList,
    ancestorNamespaces: ancestorNamespaces(assertion),
  });
  if (!sameDigest(new Hash().getHash(canonical), String(ref.digestValue))) throw unsigned('a digest that does not match the assertion');

  const canonicalSignedInfo = sig.getCanonXml([EXC_C14N], signedInfo as unknown as Node);
  if (!certificates.some((pem) => new Signer().verifySignature(canonicalSignedInfo, pem, signatureValue)))
    throw unsigned('a signature no trusted certificate verifies');
}
