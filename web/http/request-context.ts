import type { Request } from 'express';
import type { RequestContext } from '../../lib/accounts/context';

/** Who is asking, for the audit trail: read from the request for the account services. */
export function requestContext(req: Request): RequestContext {
  return { ip: req.ip, userAgent: req.get('user-agent')?.slice(0, 500) };
}
