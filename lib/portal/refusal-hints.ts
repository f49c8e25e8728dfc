/**
 * What to change at the IdP for each reason a test sign-in can be refused: one short hint per
 * reason, shown beside the exact refusal on the portal's Test page, in the words of the
 * tenancy's kind of IdP (lib/portal/idp-terms.ts). A Record over every reason, each a hint over
 * the kind's terms, so a new reason cannot be added without its hint for every kind.
 */
import type { ConnectionKind } from '../contracts/connection-template';
import type { RejectionReason } from '../saml/rejection';
import { IDP_TERMS, type IdpTerms } from './idp-terms';

const NEW_TEST = 'start a new test sign-in.';

export const REFUSAL_HINTS: Record<RejectionReason, (t: IdpTerms) => string> = {
  'body-too-large': (t) => `The response was too large: remove unneeded claims (${t.claims}), especially long group lists.`,
  'missing-saml-response': (t) =>
    `The IdP posted no SAML response: start the test from this page, and check ${t.acsField} in ${t.samlSetup}.`,
  'doctype-forbidden': (t) =>
    `The response carried an XML declaration ${t.name} never sends: make sure nothing between ${t.name} and Entrada rewrites it.`,
  'xml-comment-forbidden': (t) =>
    `The response carried XML comments ${t.name} never sends: make sure nothing between ${t.name} and Entrada rewrites it.`,
  'malformed-xml': (t) =>
    `The response was not a well-formed SAML response: make sure ${t.acsField} points at Entrada and nothing rewrites the POST.`,
  unsigned: (t) => `The response was not signed: ${t.signIt}.`,
  'signature-invalid': (t) =>
    `The signature did not verify with the certificate we hold: if you rotated the certificate (${t.certificates}), import ${t.metadata} again on the Connect page.`,
  'multiple-assertions': (t) =>
    `The response carried more than one assertion: ${t.name} sends one; check for a proxy or custom policy altering it.`,
  'in-response-to-unknown': () => `The response answers a sign-in request we do not know or that expired (15 minutes): ${NEW_TEST}`,
  'in-response-to-missing': (t) =>
    `The response answers no request: start the test from this page rather than ${t.portal} (IdP-initiated is off).`,
  expired: () => `The assertion had expired when it arrived: check the clock of the IdP, and ${NEW_TEST}`,
  'not-yet-valid': () => 'The assertion is not valid yet: the IdP clock is ahead; check its time synchronisation.',
  'audience-mismatch': (t) =>
    `The assertion is for another application: in ${t.samlSetup}, set ${t.audienceField} to the SP entity ID on the Connect page.`,
  'idp-error-status': (t) => `${capitalised(t.name)} refused the sign-in itself (see the message): check that ${t.assignment}.`,
  'no-assertion': (t) => `The response had no assertion: check that ${t.assignment}.`,
  'issuer-mismatch': (t) => `The response came from another IdP or app: import ${t.metadata} on the Connect page.`,
  'destination-mismatch': (t) =>
    `The response was sent to another address: in ${t.samlSetup}, set ${t.acsField} to the ACS URL on the Connect page.`,
  'recipient-mismatch': (t) =>
    `The assertion names another recipient: in ${t.samlSetup}, set ${t.acsField} to the ACS URL on the Connect page.`,
  'tenant-mismatch': (t) =>
    t.kind === 'entra'
      ? 'The assertion is from another Entra tenant: sign in with a user of this tenancy, and import its own metadata.'
      : `The assertion's organisation attribute carries another organisation (the value on the Connect page): sign in with a user of your organisation, or correct the attribute in ${t.claims}.`,
  'in-response-to-mismatch': () => `The response and its assertion answer different requests: ${NEW_TEST}`,
  'in-response-to-reused': () => `This sign-in request was already answered: ${NEW_TEST}`,
  'assertion-replayed': () => `This assertion was already used: ${NEW_TEST}`,
  'logout-request-replayed': (t) => `This sign-out request was already used: ${t.name} sends a new one at each sign-out.`,
  'claims-incomplete': (t) => `A required claim is missing: ${t.sendClaims}.`,
  'tenant-not-enabled': (t) => `SSO sign-in is not open for this tenancy yet: import ${t.metadata} on the Connect page first.`,
  'email-outside-domains': () =>
    "The user's email is outside the tenancy's SSO domains: test with a user of a nominated domain, or nominate and prove that domain.",
  'email-bound-to-other-tenant': () => "The user's email belongs to another organisation's SSO: test with a user of your own domain.",
  'group-not-allowed': (t) =>
    `The user is in none of the allowed groups: add the test user to an allowed group in ${t.name}, or change the allowed groups on the Access page.`,
  'groups-overage': (t) => `The user is in too many groups for the assertion: ${t.fewerGroups}.`,
  'groups-lookup-failed': (t) => `The group look-up${t.kind === 'entra' ? ' at Microsoft Graph' : ''} failed: try again in a moment.`,
  'mfa-required': (t) => `The sign-in did not use multi-factor authentication: ${t.mfa}.`,
  'account-unavailable': () => 'The matching Entrada account cannot sign in right now: ask Entrada support.',
  'account-suspended': () => 'The matching Entrada account is suspended: ask Entrada support.',
  'account-preparation-failed': () => 'Preparing the account failed on our side: try again in a moment.',
};

function capitalised(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The hint for a recorded refusal reason, for this kind of IdP (none for a reason we no longer know). */
export function refusalHint(reason: string | null | undefined, kind: ConnectionKind): string | undefined {
  if (!reason || !Object.hasOwn(REFUSAL_HINTS, reason)) return undefined;
  return REFUSAL_HINTS[reason as RejectionReason](IDP_TERMS[kind]);
}
