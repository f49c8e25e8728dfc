import { claimAll } from '../../claims';
import { SamlRejection } from '../rejection';
import type { SignedAssertion } from '../signed-assertion';
import { SAML_REQUEST_TTL_MS } from '../request-ids';
import { ACCEPTED_CLOCK_SKEW_MS } from '../sp-options';

/** Kept at least this long when an assertion names no end of validity. */
const DEFAULT_ASSERTION_LIFETIME_MS = 60 * 60 * 1000;

/** A single-use key (a unique insert, lib/claims.ts) and how long it must be kept. */
export interface OnceClaim {
  key: string;
  expiresAt: Date;
}

/**
 * Each assertion ID is accepted once per tenant. Its key is kept until node-saml would refuse
 * the assertion anyway (NotOnOrAfter plus the clock skew it allows), and only then deleted
 * (lib/expiry.ts): a replay can never outlive its key.
 */
export function assertionClaim(tenantId: string, assertion: SignedAssertion, now = new Date()): OnceClaim {
  const validUntil = assertion.notOnOrAfter ?? new Date(now.getTime() + DEFAULT_ASSERTION_LIFETIME_MS);
  return { key: `saml-assertion:${tenantId}:${assertion.id}`, expiresAt: new Date(validUntil.getTime() + ACCEPTED_CLOCK_SKEW_MS) };
}

const replayed = (assertionId: string) =>
  new SamlRejection('assertion-replayed', 'This assertion was already used', 'an assertion ID not seen before', assertionId);

/**
 * The two single-use rules of a solicited response, claimed together in one command: its
 * assertion ID (above), and our AuthnRequest ID, answered once (node-saml has already confirmed
 * it is one we issued for this tenant, see request-ids.ts). Both are unique inserts
 * (lib/claims.ts: FerretDB v1 does not isolate conditional updates), so two racing POSTs cannot
 * both win; both are attempted, so a replayed response reports as a replay even though its
 * request ID is used up too. A request's key outlives the time the request can be answered.
 */
export async function claimResponseOnce(tenantId: string, assertion: SignedAssertion, requestId: string, now = new Date()): Promise<void> {
  const [fresh, unused] = await claimAll([
    assertionClaim(tenantId, assertion, now),
    { key: `saml-request:${tenantId}:${requestId}`, expiresAt: new Date(now.getTime() + SAML_REQUEST_TTL_MS) },
  ]);
  if (!fresh) throw replayed(assertion.id);
  if (!unused)
    throw new SamlRejection('in-response-to-reused', 'Our sign-in request was already answered', 'an unused request ID', requestId);
}

/**
 * An unsolicited (IdP-initiated) response answers no request, so its assertion ID is its only
 * single-use rule. It is claimed where the sign-in is finished, not at the ACS: the ACS holds
 * the verified sign-in for a same-site step (lib/saml/idp-initiated.ts), and a held sign-in must
 * be finished once anyway, so one claim serves both rules. Every hold of one assertion (a replay
 * at the ACS makes another) competes for the same key, so at most one of them signs anyone in.
 */
export async function claimUnsolicitedOnce(claim: OnceClaim, assertionId: string): Promise<void> {
  const [fresh] = await claimAll([claim]);
  if (!fresh) throw replayed(assertionId);
}
