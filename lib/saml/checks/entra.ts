import type { ResponseEnvelope } from './message';
import type { SignedAssertion } from '../signed-assertion';
import { SamlRejection, expectEqual } from '../rejection';
import { assertionIssuerIs, orgAttributeMatches } from './connection';

/**
 * What Entra guarantees (and the destination, recipient and request checks every kind shares)
 * and node-saml does not check: each function is one named check that
 * throws a SamlRejection (expected vs received) or returns. They run in `acs-checks.ts`.
 */

/** Entra's issuer for a tenant: the same for every application of that tenant. */
export const entraIssuer = (tenantId: string) => `https://sts.windows.net/${tenantId.toLowerCase()}/`;

export function destinationIsThisAcs(envelope: ResponseEnvelope, acs: string): void {
  expectEqual('destination-mismatch', 'Response Destination', acs, envelope.destination);
}

export function assertionIssuerIsTenant(assertion: SignedAssertion, tenantId: string): void {
  assertionIssuerIs(assertion, entraIssuer(tenantId));
}

/** Every bearer confirmation must name this ACS: an assertion for another SP is not ours. */
export function recipientIsThisAcs(assertion: SignedAssertion, acs: string): void {
  const recipients = assertion.confirmations.map((c) => c.recipient);
  if (recipients.length === 0 || recipients.some((r) => r !== acs)) {
    throw new SamlRejection('recipient-mismatch', 'SubjectConfirmationData Recipient does not match', acs, recipients);
  }
}

/**
 * The signed assertion itself must answer our request. The Response-level InResponseTo that
 * node-saml looks up is outside the signature when Entra signs only the assertion, so an
 * unsolicited signed assertion could otherwise be wrapped in a response to someone's request
 * (node-saml#433). An assertion that answers no request is IdP-initiated: accepted only where the
 * tenancy opted in, and only with no InResponseTo anywhere (SAML profiles 4.1.5), so a solicited
 * assertion with the envelope's InResponseTo stripped is not one. Returns the request answered,
 * or undefined for an unsolicited response.
 */
export function answersOurRequest(
  assertion: SignedAssertion,
  requestId: string | undefined,
  allowUnsolicited: boolean,
): string | undefined {
  const bound = assertion.confirmations.map((c) => c.inResponseTo);
  if (!requestId) {
    if (!allowUnsolicited || bound.length === 0)
      throw new SamlRejection('in-response-to-missing', 'The response answers no request of ours', 'an InResponseTo', null);
    if (bound.some((id) => id !== undefined))
      throw new SamlRejection('in-response-to-missing', 'The signed assertion answers a request the response does not name', null, bound);
    return undefined;
  }
  if (bound.length === 0 || bound.some((id) => id !== requestId)) {
    throw new SamlRejection('in-response-to-mismatch', 'The signed assertion answers another request', requestId, bound);
  }
  return requestId;
}

export function tenantClaimIsTenant(claimedTenantId: string | undefined, tenantId: string): void {
  orgAttributeMatches(claimedTenantId, { attribute: 'tenantid', value: tenantId });
}
