import session from 'express-session';
import passport from 'passport';
import type { RequestHandler } from 'express';
import type { Config } from '../../lib/config';
import { toSessionUser, type SessionUser } from '../../lib/accounts/session-user';
import { UserModel } from '../../lib/models/user';
import { EntradaSessionStore } from './session-store';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

/** Sessions live in MongoDB so any web process can serve any request. */
export function sessionMiddleware(config: Config): RequestHandler {
  return session({
    name: 'entrada.sid',
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

/** Sign a user in with a fresh session ID (no fixation). */
export function signIn(req: Express.Request, user: SessionUser): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      req.login(user, (loginErr) => (loginErr ? reject(loginErr) : resolve()));
    });
  });
}
