import { SamlRequestModel, SeenAssertionModel } from '../../models';
import { SamlRejection } from '../rejection';
import type { SignedAssertion } from '../signed-assertion';
import { claimOnce } from '../../claims';
import { ACCEPTED_CLOCK_SKEW_MS } from '../sp-options';

/** Kept at least this long when an assertion names no end of validity. */
const DEFAULT_ASSERTION_LIFETIME_MS = 60 * 60 * 1000;

/**
 * Each assertion ID is accepted once per tenant until it expires: one insert on a unique key,
 * so two racing POSTs of the same response cannot both win (no read-then-write). The row is
 * kept until node-saml would refuse the assertion anyway (NotOnOrAfter plus the clock skew it
 * allows), and only then deleted (lib/expiry.ts): a replay can never outlive its row.
 */
export async function acceptAssertionOnce(tenantId: string, assertion: SignedAssertion, now = new Date()): Promise<void> {
  const validUntil = assertion.notOnOrAfter ?? new Date(now.getTime() + DEFAULT_ASSERTION_LIFETIME_MS);
  const expiresAt = new Date(validUntil.getTime() + ACCEPTED_CLOCK_SKEW_MS);
  try {
    await SeenAssertionModel.create({ key: `${tenantId}:${assertion.id}`, expiresAt });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    throw new SamlRejection('assertion-replayed', 'This assertion was already used', 'an assertion ID not seen before', assertion.id);
  }
}

/**
 * Our AuthnRequest ID is used up by the first response that answers it. node-saml has already
 * confirmed the ID is one we issued for this tenant (see request-cache.ts); this is the atomic
 * "and nobody used it before" half.
 */
export async function consumeRequestOnce(tenantId: string, requestId: string, now = new Date()): Promise<void> {
  // The unique claim is the atomic step (lib/claims.ts: FerretDB v1 does not isolate the
  // conditional update); the update then records when it was used.
  const claimed =
    (await claimOnce(`saml-request:${tenantId}:${requestId}`)) &&
    (await SamlRequestModel.findOneAndUpdate({ requestId, tenantId, consumedAt: { $exists: false } }, { $set: { consumedAt: now } }).lean());
  if (!claimed) throw new SamlRejection('in-response-to-reused', 'Our sign-in request was already answered', 'an unused request ID', requestId);
}
