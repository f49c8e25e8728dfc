/**
 * Onboarding emails, text + HTML from the same facts (brandedEmail escapes and lays out).
 */
import { brandedEmail, type EmailBody } from '../../lib/email-layout';

interface SpFacts {
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
}

const day = (iso: string) => new Date(iso).toUTCString().replace(/ \d\d:\d\d:\d\d GMT$/, '');

const spSetup = (sp: SpFacts) =>
  `In your Entra admin centre, add Entrada as an enterprise application with SAML single sign-on. ` +
  `Identifier (Entity ID): ${sp.entityId}. Reply URL (Assertion Consumer Service URL): ${sp.acsUrl}. ` +
  `You can also upload our SAML metadata file: ${sp.metadataUrl}`;

export function consentRequestEmail(input: {
  orgName: string;
  tenantId: string;
  consentUrl: string;
  expiresAt: string;
  sp: SpFacts;
}): EmailBody {
  return brandedEmail({
    subject: `Action needed: approve Entrada sign-in for ${input.orgName}`,
    heading: `Connect ${input.orgName} to Entrada`,
    paragraphs: [
      `Entrada has been asked to set up single sign-on with Microsoft Entra ID for ${input.orgName} (tenant ${input.tenantId}).`,
      'As an administrator of that tenant, please review and grant admin consent. Microsoft will show you exactly what Entrada asks for; nothing changes for your users until we go live together.',
      `This link works until ${day(input.expiresAt)}. If it expires, ask your Entrada contact for a new one.`,
      spSetup(input.sp),
    ],
    action: { label: 'Review and grant consent', url: input.consentUrl },
  });
}

/**
 * The metadata exchange (Okta, any SAML IdP): what to set up on their side with our values,
 * and what to send back. The field names are the IdP's own (docs/idp/).
 */
export function metadataExchangeEmail(input: { orgName: string; kind: 'okta' | 'saml'; sp: SpFacts }): EmailBody {
  const { sp } = input;
  const setup =
    input.kind === 'okta'
      ? `In the Okta admin console, create a SAML 2.0 app integration (Applications → Create App Integration). ` +
        `Single sign-on URL: ${sp.acsUrl} (also for Recipient and Destination). Audience URI (SP Entity ID): ${sp.entityId}. ` +
        `Name ID format: EmailAddress; Application username: Email; Response and Assertion Signature: Signed. ` +
        `Attribute statements: userId = user.id, email = user.email, firstName = user.firstName, lastName = user.lastName; ` +
        `group attribute statement: groups.`
      : `In your identity provider, add Entrada as a SAML 2.0 service provider (relying party). ` +
        `Entity ID: ${sp.entityId}. Assertion Consumer Service URL (HTTP-POST): ${sp.acsUrl}. ` +
        `Sign the assertions with RSA-SHA256, and send the attributes your Entrada contact agreed with you.`;
  return brandedEmail({
    subject: `Action needed: connect ${input.orgName}'s sign-in to Entrada`,
    heading: `Connect ${input.orgName} to Entrada`,
    paragraphs: [
      `Entrada has been asked to set up single sign-on for ${input.orgName} with your ${input.kind === 'okta' ? 'Okta org' : 'identity provider'}.`,
      setup,
      `Our SAML metadata has all of these values: ${sp.metadataUrl}`,
      `Then send your Entrada contact the app's identity provider metadata URL (or its XML file). Nothing changes for your users until we go live together.`,
    ],
    action: { label: 'Our SAML metadata', url: sp.metadataUrl },
  });
}

export function consentReminderEmail(input: {
  orgName: string;
  tenantId: string;
  consentUrl: string;
  expiresAt: string;
  reminder: number;
}): EmailBody {
  return brandedEmail({
    subject: `Reminder: approve Entrada sign-in for ${input.orgName}`,
    heading: 'Admin consent is still pending',
    paragraphs: [
      `We are still waiting for an administrator of ${input.orgName} (tenant ${input.tenantId}) to grant admin consent for Entrada.`,
      `The link below works until ${day(input.expiresAt)}.`,
    ],
    action: { label: 'Review and grant consent', url: input.consentUrl },
    footer: `Reminder ${input.reminder}. Entrada — secure sign-in for your organisation.`,
  });
}

export function consentExpiredEmail(input: { orgName: string; tenantId: string; expiredAt: string; consoleUrl: string }): EmailBody {
  return brandedEmail({
    subject: `Consent expired: ${input.orgName} (${input.tenantId})`,
    heading: 'Admin consent was not granted in time',
    paragraphs: [
      `Nobody granted admin consent for ${input.orgName} (tenant ${input.tenantId}) before the link expired on ${day(input.expiredAt)}.`,
      'The onboarding is waiting in the "consent-expired" stage. Contact the customer, then re-issue a fresh link from the staff console: the onboarding continues where it stopped.',
    ],
    action: { label: 'Open in the staff console', url: input.consoleUrl },
  });
}

export function goLiveEmail(input: { orgName: string; tenantId: string; domains: string[]; signInUrl: string }): EmailBody {
  return brandedEmail({
    subject: `${input.orgName} is live on Entrada single sign-on`,
    heading: 'Single sign-on is live',
    paragraphs: [
      `From now on, people with email addresses at ${input.domains.join(', ')} sign in to Entrada with their ${input.orgName} Microsoft account (tenant ${input.tenantId}).`,
      'Existing Entrada accounts in these domains move to single sign-on at their first sign-in and keep all their files, hubs, contacts, messages and meetings. Their Entrada passwords stop working.',
    ],
    action: { label: 'Sign in to Entrada', url: input.signInUrl },
  });
}
