import { SamlStatusError } from '@node-saml/node-saml';
import { isOutage } from '../../outage';
import { SamlRejection, type RejectionReason } from '../rejection';
import { SpFault } from '../sp-fault';
import type { ResponseEnvelope } from './message';

/**
 * node-saml reports failures as plain Errors with stable messages (5.x). This table turns
 * them into our reason codes, so the audit says "expired" rather than an English sentence.
 * Anything unrecognised is 'malformed-xml' with node-saml's message kept in the audit.
 * A failure of our own that node-saml passed on (SpFault, a database outage) is no verdict on
 * the message: it is rethrown as it is.
 */
const TABLE: [RegExp, RejectionReason][] = [
  [/multiple assertions/i, 'multiple-assertions'],
  [/^SubjectInResponseTo is not valid|^InResponseTo is not valid/, 'in-response-to-unknown'],
  [/^InResponseTo is missing/, 'in-response-to-missing'],
  [/^InResponseTo does not match/, 'in-response-to-mismatch'],
  [/signature|Cannot obtain assertion from signed data/i, 'signature-invalid'],
  [/not yet valid/, 'not-yet-valid'],
  // node-saml's only test of a bearer SubjectConfirmation is its time window.
  [/expired|No valid subject confirmation/, 'expired'],
  [/audience|AudienceRestriction/i, 'audience-mismatch'],
  [/^Missing SAML assertion/, 'no-assertion'],
];

export function rejectionFromNodeSaml(err: unknown, envelope: Pick<ResponseEnvelope, 'signed'>): SamlRejection {
  if (err instanceof SamlRejection) return err;
  if (err instanceof SpFault || isOutage(err)) throw err;
  if (err instanceof SamlStatusError) return new SamlRejection('idp-error-status', err.message);
  const message = err instanceof Error ? err.message : String(err);
  let reason = TABLE.find(([pattern]) => pattern.test(message))?.[1] ?? 'malformed-xml';
  if (reason === 'signature-invalid' && !envelope.signed) reason = 'unsigned';
  const audience = /Expected: (\S+) Received: (.*)$/.exec(message);
  return audience
    ? new SamlRejection(reason, 'Assertion audience does not match', audience[1], audience[2])
    : new SamlRejection(reason, message);
}
