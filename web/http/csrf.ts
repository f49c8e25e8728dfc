import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { forbidden } from '../../lib/errors';

declare module 'express-session' {
  interface SessionData {
    /** Marks an anonymous session as begun, so it is stored and its cookie set. */
    begun?: boolean;
  }
}

/**
 * The session's synchronizer token: derived from the session ID, which a cross-site attacker
 * cannot read (httpOnly cookie) and which a hash does not reveal. Why not a random token kept
 * in the session: creating it is a session write at the end of a response, and a browser that
 * follows a sign-in redirect at once can race the sign-in's own end-of-response save, which
 * then puts the session back without the token (seen as "form expired" right after sign-in).
 * A derived token needs no write and rotates with the session ID at sign-in.
 */
export function csrfToken(req: Request): string {
  // A new anonymous session is only stored (and its cookie set) once it holds something.
  if (!req.user) req.session.begun ??= true;
  return tokenFor(req.sessionID);
}

const tokenFor = (sessionId: string) => createHash('sha256').update(`entrada-csrf:${sessionId}`).digest('base64url');

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
  const expected = req.session ? tokenFor(req.sessionID) : undefined;
  if (!sent || !expected || sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) {
    return next(forbidden('Your form expired or came from another site. Reload the page and try again.'));
  }
  next();
};
