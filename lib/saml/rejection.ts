/**
 * Why an SSO sign-in was refused. Every refusal carries one of these reason codes (the
 * `saml.rejected` audit event records it) plus what was expected and what arrived; the
 * browser only ever sees a generic page with a reference, never the reason.
 */
const CHECK_REASONS = [
  // Transport and message shape, checked before any XML parser runs.
  'body-too-large',
  'missing-saml-response',
  'doctype-forbidden',
  'xml-comment-forbidden',
  'malformed-xml',
  // Signature and protocol, checked by node-saml (mapped from its errors).
  'unsigned',
  'signature-invalid',
  'multiple-assertions',
  'in-response-to-unknown',
  'in-response-to-missing',
  'expired',
  'not-yet-valid',
  'audience-mismatch',
  'idp-error-status',
  'no-assertion',
  // Entra and Entrada specifics node-saml does not check.
  'issuer-mismatch',
  'destination-mismatch',
  'recipient-mismatch',
  'tenant-mismatch',
  'in-response-to-mismatch',
  'in-response-to-reused',
  'assertion-replayed',
  'claims-incomplete',
] as const;

/** Reasons that are the organisation's policy, not an attack: the user gets a page saying so. */
const POLICY_REASON_LIST = [
  'tenant-not-enabled',
  'email-outside-domains',
  'email-bound-to-other-tenant',
  'group-not-allowed',
  'groups-overage',
  'account-unavailable',
  'account-suspended',
  'account-preparation-failed',
] as const;

export const REJECTION_REASONS = [...CHECK_REASONS, ...POLICY_REASON_LIST] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
export const POLICY_REASONS: ReadonlySet<RejectionReason> = new Set<RejectionReason>(POLICY_REASON_LIST);

export class SamlRejection extends Error {
  constructor(
    readonly reason: RejectionReason,
    message: string,
    readonly expected?: unknown,
    readonly received?: unknown,
  ) {
    super(expected === undefined && received === undefined ? message : `${message} (expected ${show(expected)}, received ${show(received)})`);
    this.name = 'SamlRejection';
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

/** Small helper for the checks: refuse unless `received === expected`. */
export function expectEqual(reason: RejectionReason, what: string, expected: string, received: string | undefined): void {
  if (received !== expected) throw new SamlRejection(reason, `${what} does not match`, expected, received ?? null);
}
