/**
 * Why an SSO sign-in was refused. Every refusal carries one of these reason codes (the
 * `saml.rejected` audit event records it) plus what was expected and what arrived; the
 * browser only ever sees a generic page with a reference, never the reason. Each reason is
 * the verdict of a check on the message or of the organisation's policy: a failure on our
 * side (database, Temporal, a bug) is never one of them (see web/saml/refusal.ts).
 */
import { FailureType } from '../contracts/failures';
import { Refusal, type ShownRefusal } from '../contracts/refusal';

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
  'logout-request-replayed',
  'claims-incomplete',
] as const;

/** Reasons that are the organisation's policy, not an attack: the user gets a page saying so. */
const POLICY_REASON_LIST = [
  'tenant-not-enabled',
  'email-outside-domains',
  'email-bound-to-other-tenant',
  'group-not-allowed',
  'groups-overage',
  'groups-lookup-failed',
  'mfa-required',
  'account-unavailable',
  'account-suspended',
  'account-preparation-failed',
] as const;

export const REJECTION_REASONS = [...CHECK_REASONS, ...POLICY_REASON_LIST] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
export const POLICY_REASONS: ReadonlySet<RejectionReason> = new Set<RejectionReason>(POLICY_REASON_LIST);

/** Checks answer 400, the organisation's policy 403, an oversize POST 413, Graph not answering 503. */
const kindOf = (reason: RejectionReason): FailureType =>
  reason === 'body-too-large'
    ? FailureType.TooLarge
    : reason === 'groups-lookup-failed'
      ? FailureType.Unavailable
      : POLICY_REASONS.has(reason)
        ? FailureType.Forbidden
        : FailureType.InvalidInput;

/** The Refusal of an SSO sign-in. Its message, expected and received values are for the audit only. */
export class SamlRejection extends Refusal {
  declare readonly reason: RejectionReason;

  constructor(
    reason: RejectionReason,
    message: string,
    readonly expected?: unknown,
    readonly received?: unknown,
  ) {
    super(
      kindOf(reason),
      expected === undefined && received === undefined ? message : `${message} (expected ${show(expected)}, received ${show(received)})`,
      { reason },
    );
    this.name = 'SamlRejection';
  }

  /** What the audit event records: the reason, and what was expected vs what arrived. */
  auditDetails(): Record<string, unknown> {
    return {
      reason: this.reason,
      message: this.message,
      ...(this.expected !== undefined ? { expected: this.expected } : {}),
      ...(this.received !== undefined ? { received: this.received } : {}),
    };
  }

  /** The person learns that it failed and the reference, never why (see web/saml/pages.ts). */
  override shown(): ShownRefusal {
    return { code: 'sso_refused', message: 'We could not finish signing you in.' };
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

/** Small helper for the checks: refuse unless `received === expected`. */
export function expectEqual(reason: RejectionReason, what: string, expected: string, received: string | undefined): void {
  if (received !== expected) throw new SamlRejection(reason, `${what} does not match`, expected, received ?? null);
}
