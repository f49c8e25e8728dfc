import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { AttemptLimit } from '../../lib/attempt-limit';
import { audit } from '../../lib/audit';
import { tooManyRequests } from '../../lib/errors';
import { requestContext } from './request-context';

/**
 * The sign-in limit (form and API): failed sign-ins per address and account (`signin-ip-email`,
 * 10 per 15 minutes) and per address (`signin-ip`, 100), counted together by one AttemptLimit
 * (lib/attempt-limit.ts). A refusal is audited once per key and window (the first refused
 * attempt) and answered 429 with draft-8 `RateLimit` headers.
 */
const WINDOW_MS = 15 * 60 * 1000;
const LIMITS = { inner: 10, outer: 100 };
const NAMES = { inner: 'signin-ip-email', outer: 'signin-ip' } as const;

export function signInLimit(): RequestHandler {
  const attempts = new AttemptLimit('signin', WINDOW_MS, LIMITS);
  return async (req, res, next) => {
    const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
    const attempt = await attempts.begin(ipKeyGenerator(req.ip ?? 'unknown'), email);
    const which = attempt.over ?? (LIMITS.inner - attempt.counts.inner <= LIMITS.outer - attempt.counts.outer ? 'inner' : 'outer');
    const used = attempt.over ? LIMITS[which] : which === 'inner' ? attempt.counts.inner : attempt.counts.outer;
    const reset = Math.max(0, Math.ceil((attempt.counts.resetTime.getTime() - Date.now()) / 1000));
    res.set('RateLimit-Policy', `"${NAMES[which]}"; q=${LIMITS[which]}; w=${WINDOW_MS / 1000}`);
    res.set('RateLimit', `"${NAMES[which]}"; r=${Math.max(0, LIMITS[which] - used)}; t=${reset}`);
    if (!attempt.over) {
      // Only failures count: an attempt that succeeded gives its row back.
      res.once('finish', () => res.statusCode < 400 && attempts.withdrawSoon(attempt));
      return next();
    }
    if (await attempts.refuse(attempt)) await audit(refusalEvent(req, email, attempt.over));
    next(tooManyRequests('Too many attempts. Wait a few minutes and try again.'));
  };
}

const refusalEvent = (req: Request, email: string, over: 'inner' | 'outer') => ({
  action: 'auth.rate-limited',
  outcome: 'denied' as const,
  actor: { kind: 'anonymous' as const, email: email || undefined },
  ...requestContext(req),
  details: { limiter: NAMES[over], limit: LIMITS[over], windowMs: WINDOW_MS },
});
