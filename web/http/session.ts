import session from 'express-session';
import passport from 'passport';
import type { Request, RequestHandler } from 'express';
import type { Config } from '../../lib/config';
import { toSessionUser, type SessionUser } from '../../lib/accounts/session-user';
import { UserModel } from '../../lib/models/user';
import { EntradaSessionStore } from './session-store';
import { requestCookie } from './cookies';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

/** Sessions live in MongoDB so any web process can serve any request. */
export const SESSION_COOKIE = 'entrada.sid';

export function sessionMiddleware(config: Config): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: config.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    store: new EntradaSessionStore(),
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.PUBLIC_BASE_URL.startsWith('https://'),
      maxAge: 8 * 60 * 60 * 1000,
    },
  });
}

/**
 * The session stores `<userId>:<sessionVersion>`. Revoking every session of a user is one
 * atomic `$inc` of `sessionVersion` (migration, deletion, password reset); a session whose
 * version is stale, or whose user is no longer active, is treated as signed out.
 */
export function configurePassport(): void {
  passport.serializeUser<string>((user, done) => {
    // The sign-in just read the account; reading it again would only cost a round trip.
    if (user.sessionVersion !== undefined) return done(null, `${user.id}:${user.sessionVersion}`);
    UserModel.findById(user.id, { sessionVersion: 1 })
      .lean()
      .then((u) => done(null, `${user.id}:${u?.sessionVersion ?? -1}`), done);
  });
  passport.deserializeUser<string>((key, done) => {
    const [id, version] = key.split(':');
    UserModel.findById(id)
      .lean()
      .then((u) => {
        if (!u || u.status !== 'active' || String(u.sessionVersion) !== version) return done(null, false);
        done(null, toSessionUser(u));
      }, done);
  });
}

/**
 * Signs a user in: passport's login gives the session a fresh ID (no fixation; the previous
 * session is destroyed) and saves it once, with `data` (e.g. the SSO details single logout
 * needs) already in it, before the caller redirects. Nothing of the previous session is kept.
 * A request that came without a session cookie has nothing stored to destroy.
 */
export function signIn(req: Request, user: SessionUser, data: Partial<session.SessionData> = {}): Promise<void> {
  for (const key of Object.keys(req.session)) if (key !== 'cookie') delete (req.session as unknown as Record<string, unknown>)[key];
  Object.assign(req.session, data);
  if (requestCookie(req, SESSION_COOKIE) === undefined && req.sessionStore instanceof EntradaSessionStore)
    req.sessionStore.neverStored(req.sessionID);
  return new Promise((resolve, reject) =>
    req.login(user, { session: true, keepSessionInfo: true }, (err) => (err ? reject(err) : resolve())),
  );
}
