import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { forbidden } from '../../lib/errors';

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
  }
}

/** The session's synchronizer token, created on first use; put it in every form as `_csrf`. */
export function csrfToken(req: Request): string {
  req.session.csrfToken ??= randomBytes(24).toString('base64url');
  return req.session.csrfToken;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every state-changing request that rides on the session cookie must carry the session's
 * token (form field `_csrf` or header `X-CSRF-Token`). Bearer-token API calls carry no
 * cookie, so they are exempt; so is the SAML ACS, which Entra posts cross-site by design and
 * which is protected by InResponseTo instead (it is mounted before this middleware).
 * Multipart uploads are streamed, so their body is not parsed yet when this runs: for them
 * (only) the token may also come as the `?_csrf=` query parameter of the form's action.
 */
export const csrfProtection: RequestHandler = (req, _res, next) => {
  if (SAFE.has(req.method) || req.get('authorization')?.startsWith('Bearer ')) return next();
  const sent =
    (req.body && typeof req.body._csrf === 'string' ? req.body._csrf : undefined) ??
    req.get('x-csrf-token') ??
    (req.is('multipart/form-data') && typeof req.query._csrf === 'string' ? req.query._csrf : undefined);
  const expected = req.session?.csrfToken;
  if (!sent || !expected || sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) {
    return next(forbidden('Your form expired or came from another site. Reload the page and try again.'));
  }
  next();
};
