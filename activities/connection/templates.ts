/** The connection's emails: expiry warnings (staff and the tenancy's admins) and staff alerts. */
import { brandedEmail, type EmailBody } from '../../lib/email-layout';

const day = (iso: string) => new Date(iso).toUTCString().replace(/ \d\d:\d\d:\d\d GMT$/, '');

export function certificateExpiryEmail(input: {
  orgName: string;
  tenantId: string;
  thumbprint: string;
  notAfter: string;
  days: number;
}): EmailBody {
  return brandedEmail({
    subject: `Action needed: ${input.orgName}'s Entrada sign-in certificate expires within ${input.days} day${input.days === 1 ? '' : 's'}`,
    heading: 'Your SAML signing certificate is about to expire',
    paragraphs: [
      `Single sign-on to Entrada for ${input.orgName} (tenant ${input.tenantId}) is signed with the certificate ${input.thumbprint}, which expires on ${day(input.notAfter)}. Entrada knows of no other certificate for your tenant that stays valid after that day.`,
      "In the Entra admin centre, open Entrada's enterprise application → Single sign-on → SAML Certificates, create a new certificate and make it active. Entrada reads your federation metadata regularly and trusts the new certificate as soon as it is published; nothing else is needed.",
      'If sign-in stops working after the expiry date, nobody in your organisation will be able to sign in to Entrada until a new certificate is active.',
    ],
  });
}

export function connectionAlertEmail(input: {
  orgName: string;
  tenantId: string;
  headline: string;
  details: string;
  consoleUrl: string;
}): EmailBody {
  return brandedEmail({
    subject: `SSO connection alert: ${input.orgName} (${input.tenantId}): ${input.headline}`,
    heading: input.headline,
    paragraphs: [input.details],
    action: { label: 'Open the tenant in the staff console', url: input.consoleUrl },
  });
}
