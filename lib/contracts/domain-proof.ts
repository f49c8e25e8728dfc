/**
 * Domain proofs by DNS: a tenancy proposes a domain, publishes `entrada-verification=<token>`
 * as a TXT record on it, and the `domainProof` workflow re-checks until it is verified, a staff
 * member overrides it with a reason, or it expires. Pure contracts, safe in the workflow bundle.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export const DOMAIN_PROOF_STATUSES = ['pending', 'verified', 'overridden', 'expired', 'refused'] as const;
export type DomainProofStatus = (typeof DOMAIN_PROOF_STATUSES)[number];

/**
 * One check's outcome. Only `verified` ends the proof; the rest are shown and retried at the
 * next check: `nxdomain` (the name does not exist), `no-record` (it exists, no proof TXT),
 * `wrong-token`, `malformed` (an entrada-verification record that is not token-shaped),
 * `servfail`, `timeout` and `unreachable` (the DNS side failed, not the customer's record).
 */
export const DNS_CHECK_OUTCOMES = [
  'verified',
  'nxdomain',
  'no-record',
  'wrong-token',
  'malformed',
  'servfail',
  'timeout',
  'unreachable',
] as const;
export type DnsCheckOutcome = (typeof DNS_CHECK_OUTCOMES)[number];

export const TXT_PREFIX = 'entrada-verification=';
export const proofRecord = (token: string) => `${TXT_PREFIX}${token}`;

export const domainProofWorkflowId = (tenantId: string, domain: string) => `domain-proof-${tenantId.toLowerCase()}-${domain.toLowerCase()}`;

export interface DomainProofInput {
  tenantId: string;
  domain: string;
  /** Re-check period and the proof's end, fixed when proposed. */
  recheckMs: number;
  expiresAt: string;
}

export interface DomainProofState {
  status: DomainProofStatus;
  checks: number;
  lastOutcome?: DnsCheckOutcome;
}

/** The workflow's signature, for typed starts outside workflows/. */
export type DomainProofWorkflow = (input: DomainProofInput) => Promise<DomainProofState>;

export const domainProofStateQuery = defineQuery<DomainProofState>('domainProofState');
/** Check now rather than at the next scheduled re-check (the admin just published the record). */
export const checkDomainNowSignal = defineSignal('checkDomainNow');
/** Staff accept the domain without the record; the reason is audited. */
export const overrideDomainProofUpdate = defineUpdate<DomainProofStatus, [{ by: string; reason: string }]>('overrideDomainProof');
