/**
 * Where each kind of IdP keeps what a test sign-in can get wrong, in the words of its own admin
 * console (docs/idp/: Entra's enterprise application, Okta's SAML app integration, and a generic
 * SAML IdP's relying party, e.g. ADFS). The refusal hints are written over these, so an Okta admin
 * is told what to change in Okta. A Record over every kind: a new kind needs all of them.
 */
import type { ConnectionKind } from '../contracts/connection-template';

export interface IdpTerms {
  kind: ConnectionKind;
  /** The IdP as its admin calls it. */
  name: string;
  /** Where our SAML values are set up there. */
  samlSetup: string;
  /** The field holding our ACS URL (Reply URL, Single sign-on URL...). */
  acsField: string;
  /** The field holding our SP entity ID. */
  audienceField: string;
  /** How to make it sign what we check. */
  signIt: string;
  /** Where its signing certificate is managed. */
  certificates: string;
  /** What is imported on the Connect page to learn its issuer and certificates. */
  metadata: string;
  /** Where its claims (attributes) are set. */
  claims: string;
  /** The claims a sign-in needs, and where to send them. */
  sendClaims: string;
  /** Who may use the app there. */
  assignment: string;
  /** Where its users start an IdP-initiated sign-in. */
  portal: string;
  /** Fewer groups in the assertion. */
  fewerGroups: string;
  /** Requiring MFA for the app. */
  mfa: string;
}

const ENTRA_SSO = 'Entra: Single sign-on';

export const IDP_TERMS: Record<ConnectionKind, IdpTerms> = {
  entra: {
    kind: 'entra',
    name: 'Entra',
    samlSetup: `${ENTRA_SSO} → Basic SAML Configuration`,
    acsField: 'Reply URL (ACS URL)',
    audienceField: 'Identifier (Entity ID)',
    signIt: `in ${ENTRA_SSO} → SAML Certificates, set Signing Option to "Sign SAML assertion" (or the option agreed with us)`,
    certificates: `${ENTRA_SSO} → SAML Certificates`,
    metadata: "this tenancy's federation metadata",
    claims: `${ENTRA_SSO} → Attributes & Claims`,
    sendClaims: `in ${ENTRA_SSO} → Attributes & Claims, send the email (user.mail) and the object ID claim`,
    assignment: 'the test user is assigned to the application (Users and groups)',
    portal: 'from My Apps',
    fewerGroups: 'in Attributes & Claims → Group claims, send "Groups assigned to the application"',
    mfa: 'require MFA for the application in a Conditional Access policy',
  },
  okta: {
    kind: 'okta',
    name: 'Okta',
    samlSetup: 'Okta: the app → General → SAML Settings',
    acsField: 'Single sign-on URL (with "Use this for Recipient URL and Destination URL" ticked)',
    audienceField: 'Audience URI (SP Entity ID)',
    signIt: 'in Okta: the app → General → SAML Settings → Advanced, set Response and Assertion Signature to "Signed"',
    certificates: 'Okta: the app → Sign On → SAML Signing Certificates',
    metadata: "the Okta app's IdP metadata (its Metadata URL)",
    claims: 'Okta: the app → General → SAML Settings → Attribute Statements',
    sendClaims:
      'in Okta: the app → General → SAML Settings, add the attribute statements email (user.email) and userId (user.id), or set Name ID format to Persistent',
    assignment: 'the test user is assigned to the app (Okta: the app → Assignments)',
    portal: 'from the Okta End-User Dashboard',
    fewerGroups: "narrow the groups attribute statement's filter to the groups Entrada needs",
    mfa: "require multi-factor authentication in the app's authentication policy (Okta: the app → Sign On)",
  },
  saml: {
    kind: 'saml',
    name: 'your IdP',
    samlSetup: "Entrada's relying party trust (or SP entry) at your IdP",
    acsField: 'the assertion consumer endpoint (HTTP-POST)',
    audienceField: 'the relying party identifier (SP entity ID)',
    signIt: 'make your IdP sign what the connection checks (assertion, response or both; see the Connect page)',
    certificates: "your IdP's token-signing certificate",
    metadata: "your IdP's metadata",
    claims: "the claim rules of Entrada's entry at your IdP",
    sendClaims:
      "in the claim rules of Entrada's entry at your IdP, send the email and the stable subject under the names on the Connect page",
    assignment: "the test user is allowed to use Entrada's entry (its access control policy)",
    portal: "from your IdP's own portal",
    fewerGroups: 'send only the groups Entrada needs',
    mfa: "require multi-factor authentication for Entrada's entry, and send the authentication context",
  },
};
