import type { ClaimMapping } from '../../idp/settings';
import type { SignedAssertion } from '../signed-assertion';
import { expectEqual } from '../rejection';
import type { ResponseEnvelope } from './message';

/**
 * Checks that read the tenancy's connection: the Issuer it names, and the org attribute it
 * requires. Signed by the right certificate is node-saml's check; these make sure the IdP
 * that signed is speaking for this tenancy (one IdP, e.g. Entra, signs for many).
 */
export function responseIssuerIs(envelope: ResponseEnvelope, issuer: string): void {
  expectEqual('issuer-mismatch', 'Response Issuer', issuer, envelope.issuer);
}

export function assertionIssuerIs(assertion: SignedAssertion, issuer: string): void {
  expectEqual('issuer-mismatch', 'Assertion Issuer', issuer, assertion.issuer);
}

/** The org attribute, when the connection requires one, names this tenancy's org (case-insensitively). */
export function orgAttributeMatches(claimed: string | undefined, org: ClaimMapping['org']): void {
  if (!org) return;
  expectEqual('tenant-mismatch', `${org.attribute} claim`, org.value.toLowerCase(), claimed?.toLowerCase());
}
