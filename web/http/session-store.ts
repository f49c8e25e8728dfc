import session from 'express-session';
import { SessionModel } from '../../lib/models';

/** A sliding expiry moved by less than this is not written back (one write per request saved). */
const TOUCH_AFTER_MS = 5 * 60 * 1000;
/** Sessions without a cookie expiry (none today) live this long. */
const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000;

type Callback<T = void> = (err?: unknown, value?: T) => void;

/**
 * express-session's store, on the `sessions` collection through mongoose.
 *
 * Why our own instead of connect-mongo: its `autoRemove: 'interval'` cleanup is a `w: 0`
 * deleteMany, and FerretDB answers unacknowledged writes anyway, which shifted every later
 * reply on that pooled connection by one (one user's session or user document answering
 * another's look-up). Every write here is acknowledged; expired rows are skipped on read and
 * deleted by the expiry job. Loads go through the models' reply check (lib/models/echo-guard.ts),
 * so a session document is only ever returned for its own ID.
 */
export class EntradaSessionStore extends session.Store {
  /**
   * What each request's session object last wrote. After a sign-in, express-session saves
   * again at the end of the response what passport already saved (a regenerated session never
   * counts as saved), and a browser follows the redirect without waiting for that save: the
   * next request's write (its new CSRF token) could land first and be overwritten by the
   * stale copy. A request re-saving what it already wrote therefore writes nothing.
   */
  private readonly written = new WeakMap<object, { sid: string; content: string; expires: number }>();
  /** Session IDs made for a request and never stored (sign-in without a session cookie). */
  private readonly unstored = new Set<string>();

  /** `sid` was never stored: its destruction (passport's regenerate at sign-in) needs no command. */
  neverStored(sid: string): void {
    if (this.unstored.size > 10_000) this.unstored.clear();
    this.unstored.add(sid);
  }

  get(sid: string, done: Callback<session.SessionData | null>): void {
    SessionModel.findOne({ _id: sid })
      .lean()
      .then((row) => {
        if (!row || row.expires.getTime() <= Date.now()) return done(null, null);
        // The request's own copy of the stored expiry, for its touch (express-session resets the
        // cookie's expiry before it touches); never stored (see toPlain).
        done(null, { ...(row.session as session.SessionData), [LOADED_EXPIRES]: row.expires.getTime() } as session.SessionData);
      }, done);
  }

  set(sid: string, data: session.SessionData, done: Callback = noop): void {
    this.unstored.delete(sid);
    const session = toPlain(data);
    const expires = expiresOf(data);
    const content = JSON.stringify({ ...session, cookie: undefined });
    const last = this.written.get(data);
    if (last && last.sid === sid && last.content === content && Math.abs(expires.getTime() - last.expires) < TOUCH_AFTER_MS) return done();
    const sso = (session as { sso?: { tenantId?: string; nameId?: string } }).sso;
    const ssoKeys = sso?.tenantId && sso.nameId ? { ssoTenantId: sso.tenantId, ssoNameId: sso.nameId } : {};
    SessionModel.replaceOne({ _id: sid }, { session, expires, ...ssoKeys }, { upsert: true }).then(() => {
      this.written.set(data, { sid, content, expires: expires.getTime() });
      done();
    }, done);
  }

  /**
   * Writes only when the sliding expiry moved by TOUCH_AFTER_MS, so concurrent requests of one
   * session rarely write at all. That matters beyond speed: FerretDB applies an update as read,
   * modify, write back the whole document, so a touch racing a save of new session data (a CSRF
   * token just created) could put the old data back.
   */
  touch(sid: string, data: session.SessionData, done: Callback = noop): void {
    const loaded = (data as unknown as Record<string, unknown>)[LOADED_EXPIRES];
    const expires = expiresOf(data);
    if (typeof loaded === 'number' && expires.getTime() - loaded < TOUCH_AFTER_MS) return done();
    SessionModel.updateOne({ _id: sid }, { $set: { expires } }).then(() => done(), done);
  }

  destroy(sid: string, done: Callback = noop): void {
    if (this.unstored.delete(sid)) return done();
    SessionModel.deleteOne({ _id: sid }).then(() => done(), done);
  }
}

const LOADED_EXPIRES = '_loadedExpires';

const noop = () => undefined;

const expiresOf = (data: session.SessionData) =>
  data.cookie?.expires ? new Date(data.cookie.expires) : new Date(Date.now() + DEFAULT_TTL_MS);

/** The session as stored: its cookie as plain data (express-session's Cookie is a class). */
const toPlain = (data: session.SessionData) => {
  const { [LOADED_EXPIRES]: _loaded, ...rest } = data as unknown as Record<string, unknown>;
  const cookie = data.cookie as session.Cookie & { toJSON?: () => unknown };
  return { ...rest, cookie: cookie?.toJSON ? cookie.toJSON() : cookie };
};
