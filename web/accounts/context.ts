import type { Request } from 'express';
import type { Config } from '../../lib/config';
import type { Mailer } from '../../lib/mailer';

/** Who is asking, for the audit trail: every account service takes one. */
export interface RequestContext {
  ip?: string;
  userAgent?: string;
}

export function requestContext(req: Request): RequestContext {
  return { ip: req.ip, userAgent: req.get('user-agent')?.slice(0, 500) };
}

/** What the account services need: links are built from the public URL, emails go out by SMTP. */
export interface AccountDeps {
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'SESSION_SECRET'>;
  mailer: Mailer;
}
