import { claimAll } from '../../claims';
import { SamlRejection } from '../rejection';
import type { SignedAssertion } from '../signed-assertion';
import { SAML_REQUEST_TTL_MS } from '../request-cache';
import { ACCEPTED_CLOCK_SKEW_MS } from '../sp-options';

/** Kept at least this long when an assertion names no end of validity. */
const DEFAULT_ASSERTION_LIFETIME_MS = 60 * 60 * 1000;

/**
 * The two single-use rules of a response, claimed together in one command: each assertion ID
 * is accepted once per tenant, and each of our AuthnRequest IDs is answered once (an
 * IdP-initiated response answers none: its assertion ID is then the only guard against replay) (node-saml has
 * already confirmed it is one we issued for this tenant, see request-cache.ts). Both are unique
 * inserts (lib/claims.ts: FerretDB v1 does not isolate conditional updates), so two racing POSTs
 * cannot both win; both are attempted, so a replayed response reports as a replay even though
 * its request ID is used up too.
 *
 * An assertion's key is kept until node-saml would refuse the assertion anyway (NotOnOrAfter
 * plus the clock skew it allows), and only then deleted (lib/expiry.ts): a replay can never
 * outlive its key. A request's key outlives the time the request can be answered.
 */
export async function claimResponseOnce(
  tenantId: string,
  assertion: SignedAssertion,
  requestId: string | undefined,
  now = new Date(),
): Promise<void> {
  const validUntil = assertion.notOnOrAfter ?? new Date(now.getTime() + DEFAULT_ASSERTION_LIFETIME_MS);
  const [fresh, unused = true] = await claimAll([
    { key: `saml-assertion:${tenantId}:${assertion.id}`, expiresAt: new Date(validUntil.getTime() + ACCEPTED_CLOCK_SKEW_MS) },
    ...(requestId ? [{ key: `saml-request:${tenantId}:${requestId}`, expiresAt: new Date(now.getTime() + SAML_REQUEST_TTL_MS) }] : []),
  ]);
  if (!fresh)
    throw new SamlRejection('assertion-replayed', 'This assertion was already used', 'an assertion ID not seen before', assertion.id);
  if (!unused)
    throw new SamlRejection('in-response-to-reused', 'Our sign-in request was already answered', 'an unused request ID', requestId);
}
