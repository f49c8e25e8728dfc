import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { forbidden } from '../../lib/errors';
import { requestCookie } from './cookies';

/**
 * Synchronizer tokens, derived so that issuing one writes nothing to the database:
 * - signed in: from the session ID, which a cross-site attacker cannot read (httpOnly cookie)
 *   and a hash does not reveal. A random token kept in the session would be a session write at
 *   the end of a response, and a browser following a sign-in redirect at once can race that
 *   save, which then puts the session back without the token ("form expired" after sign-in).
 *   It rotates with the session ID at sign-in.
 * - anonymous (sign-in, registration, reset and invite forms): from a random value in a cookie
 *   of its own. An anonymous visitor then needs no session: the sign-in POST neither loads nor
 *   destroys a pre-login session (two database commands), and a crawler creates no rows.
 *   Over HTTPS the cookie is `__Host-` prefixed, so a sibling subdomain cannot plant a value
 *   it knows the token of.
 */
export function csrfToken(req: Request): string {
  if (req.user) return tokenFor('session', req.sessionID);
  const res = req.res!;
  const { name, secure } = anonymousCookie(req);
  let value = requestCookie(req, name) ?? (res.locals.csrfAnonymous as string | undefined);
  if (!value || !VALUE.test(value)) {
    value = randomBytes(24).toString('base64url');
    res.locals.csrfAnonymous = value;
    res.cookie(name, value, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
  }
  return tokenFor('anonymous', value);
}

const VALUE = /^[A-Za-z0-9_-]{32}$/;

const tokenFor = (kind: 'session' | 'anonymous', secret: string) =>
  createHash('sha256').update(`entrada-csrf:${kind}:${secret}`).digest('base64url');

function anonymousCookie(req: Request): { name: string; secure: boolean } {
  const secure = Boolean((req.app.locals as { secureCookies?: boolean }).secureCookies);
  return { name: secure ? '__Host-entrada.csrf' : 'entrada.csrf', secure };
}

/** The tokens this request may carry: its session's (if signed in) and its anonymous cookie's. */
function acceptedTokens(req: Request): string[] {
  const accepted: string[] = [];
  if (req.user) accepted.push(tokenFor('session', req.sessionID));
  const anonymous = requestCookie(req, anonymousCookie(req).name);
  // A form rendered before the person signed in (e.g. in another tab) is still theirs.
  if (anonymous && VALUE.test(anonymous)) accepted.push(tokenFor('anonymous', anonymous));
  return accepted;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every state-changing request that rides on cookies must carry a token (form field `_csrf`
 * or header `X-CSRF-Token`). Bearer-token API calls carry no cookie, so they are exempt; so is
 * the SAML ACS, which Entra posts cross-site by design and which is protected by InResponseTo
 * instead (it is mounted before this middleware). Multipart uploads are streamed, so their body
 * is not parsed yet when this runs: for them (only) the token may also come as the `?_csrf=`
 * query parameter of the form's action.
 */
export const csrfProtection: RequestHandler = (req, _res, next) => {
  if (SAFE.has(req.method) || req.get('authorization')?.startsWith('Bearer ')) return next();
  const sent =
    (req.body && typeof req.body._csrf === 'string' ? req.body._csrf : undefined) ??
    req.get('x-csrf-token') ??
    (req.is('multipart/form-data') && typeof req.query._csrf === 'string' ? req.query._csrf : undefined);
  if (!sent || !acceptedTokens(req).some((expected) => sameToken(sent, expected))) {
    return next(forbidden('Your form expired or came from another site. Reload the page and try again.'));
  }
  next();
};

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
