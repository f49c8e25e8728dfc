import type { Profile } from '@node-saml/node-saml';
import { SamlRejection } from './rejection';

/**
 * The facts our own checks need, read from the assertion node-saml verified (never from the
 * raw POST, which may carry a forged assertion beside the signed one). node-saml hands the
 * signed assertion over as xml2js output: elements are arrays, attributes in `$`, text in `_`.
 */
export interface SignedAssertion {
  id: string;
  issuer?: string;
  /** Latest moment the assertion may be used (Conditions/NotOnOrAfter). */
  notOnOrAfter?: Date;
  confirmations: { recipient?: string; inResponseTo?: string }[];
}

type Node = { $?: Record<string, string>; _?: string; [child: string]: unknown };
const first = (value: unknown): Node | undefined => (Array.isArray(value) ? (value[0] as Node) : undefined);
const all = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : []);

export function readSignedAssertion(profile: Profile): SignedAssertion {
  const assertion = (profile.getAssertion?.() as { Assertion?: Node } | undefined)?.Assertion;
  const id = assertion?.$?.ID;
  if (!assertion || !id) throw new SamlRejection('claims-incomplete', 'The signed assertion has no ID');
  const conditions = first(assertion.Conditions);
  const notOnOrAfter = conditions?.$?.NotOnOrAfter;
  const confirmations = all(first(assertion.Subject)?.SubjectConfirmation).map((c) => {
    const data = first(c.SubjectConfirmationData)?.$ ?? {};
    return { recipient: data.Recipient, inResponseTo: data.InResponseTo };
  });
  return {
    id,
    issuer: first(assertion.Issuer)?._?.trim(),
    ...(notOnOrAfter ? { notOnOrAfter: new Date(notOnOrAfter) } : {}),
    confirmations,
  };
}
