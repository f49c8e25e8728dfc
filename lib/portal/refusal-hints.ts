/**
 * What to change in Entra for each reason a test sign-in can be refused: one short hint per
 * reason, shown beside the exact refusal on the portal's Test page. A Record over every reason,
 * so a new reason cannot be added without its hint. "Entra" is the enterprise application for
 * Entrada (Entra admin center → Enterprise applications → the app → Single sign-on).
 */
import type { RejectionReason } from '../saml/rejection';

const SAML_SETUP = 'Entra: Single sign-on → Basic SAML Configuration';
const CERTIFICATES = 'Entra: Single sign-on → SAML Certificates';

export const REFUSAL_HINTS: Record<RejectionReason, string> = {
  'body-too-large': 'The response was too large: remove unneeded claims (Attributes & Claims), especially long group lists.',
  'missing-saml-response': 'The IdP posted no SAML response: start the test from this page, and check the Reply URL in ' + SAML_SETUP + '.',
  'doctype-forbidden':
    'The response carried an XML declaration Entra never sends: make sure nothing between Entra and Entrada rewrites it.',
  'xml-comment-forbidden': 'The response carried XML comments Entra never sends: make sure nothing between Entra and Entrada rewrites it.',
  'malformed-xml':
    'The response was not a well-formed SAML response: make sure the Reply URL points at Entrada and nothing rewrites the POST.',
  unsigned: `The response was not signed: in ${CERTIFICATES}, set Signing Option to "Sign SAML assertion" (or the option agreed with us).`,
  'signature-invalid': `The signature did not verify with the certificate we hold: if you rotated the certificate in ${CERTIFICATES}, import the new federation metadata on the Connect page.`,
  'multiple-assertions': 'The response carried more than one assertion: Entra sends one; check for a proxy or custom policy altering it.',
  'in-response-to-unknown': 'The response answers a sign-in request we do not know or that expired (15 minutes): start a new test sign-in.',
  'in-response-to-missing':
    'The response answers no request: start the test from this page rather than from My Apps (IdP-initiated is off).',
  expired: 'The assertion had expired when it arrived: check the clock of the IdP, and start a new test sign-in.',
  'not-yet-valid': 'The assertion is not valid yet: the IdP clock is ahead; check its time synchronisation.',
  'audience-mismatch': `The assertion is for another application: in ${SAML_SETUP}, set Identifier (Entity ID) to the SP entity ID on the Connect page.`,
  'idp-error-status':
    'Entra refused the sign-in itself (see the message): check that the test user is assigned to the application (Users and groups).',
  'no-assertion': 'The response had no assertion: check that the test user is assigned to the application (Users and groups).',
  'issuer-mismatch': "The response came from another IdP or tenant: import this tenancy's federation metadata on the Connect page.",
  'destination-mismatch': `The response was sent to another address: in ${SAML_SETUP}, set Reply URL (ACS URL) to the ACS URL on the Connect page.`,
  'recipient-mismatch': `The assertion names another recipient: in ${SAML_SETUP}, set Reply URL (ACS URL) to the ACS URL on the Connect page.`,
  'tenant-mismatch': 'The assertion is from another Entra tenant: sign in with a user of this tenancy, and import its own metadata.',
  'in-response-to-mismatch': 'The response and its assertion answer different requests: start a new test sign-in.',
  'in-response-to-reused': 'This sign-in request was already answered: start a new test sign-in.',
  'assertion-replayed': 'This assertion was already used: start a new test sign-in.',
  'claims-incomplete':
    'A required claim is missing: in Entra: Single sign-on → Attributes & Claims, send the email (user.mail) and the object ID claim.',
  'tenant-not-enabled': 'SSO sign-in is not open for this tenancy yet: import the federation metadata on the Connect page first.',
  'email-outside-domains':
    "The user's email is outside the tenancy's SSO domains: test with a user of a nominated domain, or nominate and prove that domain.",
  'email-bound-to-other-tenant': "The user's email belongs to another organisation's SSO: test with a user of your own domain.",
  'group-not-allowed': 'The user is in none of the allowed groups: add the test user to an allowed group, or change the allowed groups.',
  'groups-overage':
    'The user is in too many groups for the token: in Attributes & Claims → Group claims, send "Groups assigned to the application".',
  'groups-lookup-failed': 'The group look-up at Microsoft Graph failed: try again in a moment.',
  'mfa-required': 'The sign-in did not use multi-factor authentication: require MFA for the application in a Conditional Access policy.',
  'account-unavailable': 'The matching Entrada account cannot sign in right now: ask Entrada support.',
  'account-suspended': 'The matching Entrada account is suspended: ask Entrada support.',
  'account-preparation-failed': 'Preparing the account failed on our side: try again in a moment.',
};
