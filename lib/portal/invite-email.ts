import { brandedEmail, type EmailBody } from '../email-layout';

/** The portal invitation: a personal link, valid until the onboarding ends. */
export function portalInviteEmail(input: { orgName: string; email: string; url: string }): EmailBody {
  return brandedEmail({
    subject: `Your Entrada admin portal invitation for ${input.orgName}`,
    heading: `Follow ${input.orgName}'s Entrada set-up`,
    paragraphs: [
      `You are an administrator contact for ${input.orgName}. The Entrada admin portal shows where the single sign-on set-up stands, what is waiting on you and what is waiting on us.`,
      `Open the link, then sign in (or register) with an Entrada account for ${input.email}. The link works once, until the set-up is finished; if you need another, ask your Entrada contact.`,
    ],
    action: { label: 'Open the admin portal', url: input.url },
  });
}
