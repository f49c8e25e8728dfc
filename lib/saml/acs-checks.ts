import type { Profile } from '@node-saml/node-saml';
import { answersOurRequest, destinationIsThisAcs, recipientIsThisAcs } from './checks/entra';
import { assertionIssuerIs, responseIssuerIs } from './checks/connection';
import type { ResponseEnvelope } from './checks/message';
import { assertionClaim, claimResponseOnce, type OnceClaim } from './checks/replay';
import { readSignedAssertion, type SignedAssertion } from './signed-assertion';
import type { TenantSaml } from './tenant-config';

type Tenancy = Pick<TenantSaml, 'tenantId' | 'connection'>;

/**
 * The ACS check chain around node-saml, in order. Before node-saml: the raw message
 * (checks/message.ts: size, DOCTYPE, comments) and the unsigned envelope below. After it, on
 * the signed assertion only: issuer (the connection's), recipient, request binding, then the two
 * single-use claims (assertion ID and request ID: see checks/replay.ts for why both). An
 * IdP-initiated response's claim is left to the step that finishes it (checks/replay.ts).
 * Each check throws a SamlRejection naming itself; none writes anything but the replay keys.
 */
export function checkEnvelope(envelope: ResponseEnvelope, tenant: Tenancy, acs: string): void {
  responseIssuerIs(envelope, tenant.connection.issuer);
  destinationIsThisAcs(envelope, acs);
}

export interface CheckedAssertion extends SignedAssertion {
  /** IdP-initiated: the response answers no request of ours (the tenancy allows it). */
  unsolicited: boolean;
  /** The request of ours the signed assertion answers (absent: unsolicited). */
  requestId?: string;
  /** Unsolicited: its single-use claim, still to be won by whoever finishes the sign-in. */
  pendingClaim?: OnceClaim;
}

export async function checkSignedAssertion(
  profile: Profile,
  tenant: Tenancy & { allowIdpInitiated: boolean },
  acs: string,
): Promise<CheckedAssertion> {
  const assertion = readSignedAssertion(profile);
  const inResponseTo = typeof profile.inResponseTo === 'string' ? profile.inResponseTo : undefined;
  assertionIssuerIs(assertion, tenant.connection.issuer);
  recipientIsThisAcs(assertion, acs);
  const requestId = answersOurRequest(assertion, inResponseTo, tenant.allowIdpInitiated);
  if (!requestId) return { ...assertion, unsolicited: true, pendingClaim: assertionClaim(tenant.tenantId, assertion) };
  // Both single-use claims in one command; a lost race leaves only unusable keys behind.
  await claimResponseOnce(tenant.tenantId, assertion, requestId);
  return { ...assertion, unsolicited: false, requestId };
}
