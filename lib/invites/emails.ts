import { brandedEmail, type EmailBody } from '../email-layout';

/**
 * The invite emails, text and HTML from the same facts. Each says in plain words which kind
 * of link it carries and why: people in an organisation that signs in with Entra ID must
 * not be asked to invent a password, and everyone else must not be sent to a company login.
 */

export interface InviteFacts {
  inviter: string;
  /** What accepting gives, e.g. `join the hub "Launch"`, `become contacts`. */
  what: string;
  url: string;
  expiresAt: Date;
  /** Set for a corporate link: the organisation whose sign-in the link leads into. */
  organisation?: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export function inviteEmail(f: InviteFacts): EmailBody {
  const why = f.organisation
    ? `Your organisation ${f.organisation} signs in with Microsoft Entra ID, so this link takes you to your company sign-in. You will not need an Entrada password: sign in with your usual work account.`
    : 'This is a standard invite link: it lets you create an Entrada account with this email address and a password of your choice (or sign in, if you already have one).';
  return brandedEmail({
    subject: `${f.inviter} invited you to Entrada`,
    heading: `${f.inviter} invited you to ${f.what}`,
    paragraphs: [
      why,
      `The link works once, until ${day(f.expiresAt)}. If it has expired by the time you open it, you can ask ${f.inviter} for a new one from the page it opens.`,
      'If you did not expect this invite, ignore this email: nothing happens until the link is used.',
    ],
    action: { label: f.organisation ? `Continue with ${f.organisation} sign-in` : 'Accept the invite', url: f.url },
  });
}

/** To the inviter, when the invitee opened a dead link and pressed "ask for a new invite". */
export function renewalRequestEmail(f: { invitee: string; what: string; why: string; url: string }): EmailBody {
  return brandedEmail({
    subject: `${f.invitee} asked for a new invite`,
    heading: `${f.invitee} asked for a new invite`,
    paragraphs: [
      `${f.invitee} opened your invite to ${f.what}, but the link ${f.why}. They asked you for a new one.`,
      'If you still want to work with them, send a new invite: the form is filled in already.',
    ],
    action: { label: 'Send a new invite', url: f.url },
  });
}
