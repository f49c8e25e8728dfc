/** Reading the app's emails back from the test inbox. */
import { Inbox, type ReceivedEmail } from '../../scripts/lib/inbox';

/** The next email to `to` whose subject contains `subject`, received after `after` messages. */
export function nextEmail(inbox: Inbox, to: string, subject: string, after = 0): Promise<ReceivedEmail> {
  return inbox.waitFor((m) => inbox.messages.indexOf(m) >= after && m.to.includes(to) && m.subject.includes(subject));
}

/** The `token` parameter of the email's link whose path contains `path`. */
export const tokenOf = (email: ReceivedEmail, path: string) => new URL(Inbox.link(email, path)).searchParams.get('token')!;
