import type { Config } from '../config';
import type { Mailer } from '../mailer';

/** What the invite services need: link URLs, the invite lifetime, and SMTP. */
export interface InviteDeps {
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'INVITE_TTL'>;
  mailer: Mailer;
}

/** The link an invite email carries; its kind is decided by the invitee's domain. */
export const inviteLinkPath = (kind: 'corporate' | 'standard', token: string) =>
  kind === 'corporate' ? `/corporateregistration/${token}` : `/invite/${token}`;
