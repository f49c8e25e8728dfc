import type { Config } from '../config';
import type { Mailer } from '../mailer';

/** Who is asking, for the audit trail: every account service takes one. */
export interface RequestContext {
  ip?: string;
  userAgent?: string;
}

/** What the account services need: links are built from the public URL, emails go out by SMTP. */
export interface AccountDeps {
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'SESSION_SECRET'>;
  mailer: Mailer;
}
