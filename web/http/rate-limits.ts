import { rateLimit, ipKeyGenerator, type RateLimitInfo, type RateLimitRequestHandler } from 'express-rate-limit';
import type { Request, RequestHandler } from 'express';
import { audit } from '../../lib/audit';
import { tooManyRequests } from '../../lib/errors';
import { requestContext } from './request-context';
import { MongoRateLimitStore } from './rate-limit-store';
import { signInLimit } from './sign-in-limit';

/**
 * Rate limits of the account forms and their JSON twins (the same limiter instance guards
 * both, so the API is no way around a form's limit). Built once per app; the counters are
 * shared by every web process through MongoDB (rate-limit-store.ts).
 */
const MINUTE = 60 * 1000;

const emailOf = (req: Request) => (typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '');
export const ipOf = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

function limiter(
  name: string,
  opts: { windowMs: number; limit: number; key: (req: Request) => string; failuresOnly?: boolean },
): RateLimitRequestHandler {
  return rateLimit({
    windowMs: opts.windowMs,
    limit: opts.limit,
    keyGenerator: opts.key,
    store: new MongoRateLimitStore(name),
    skipSuccessfulRequests: opts.failuresOnly ?? false,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, _res, next) => {
      const refuse = () => next(tooManyRequests('Too many attempts. Wait a few minutes and try again.'));
      // Audited once per key and window (the first refused request), not once per attempt.
      const info = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit;
      if (!info || info.used !== info.limit + 1) return refuse();
      const email = emailOf(req) || undefined;
      audit({
        action: 'auth.rate-limited',
        outcome: 'denied',
        actor: { kind: 'anonymous', email },
        ...requestContext(req),
        details: { limiter: name, limit: opts.limit, windowMs: opts.windowMs },
      }).then(refuse, next);
    },
  });
}

export interface AccountRateLimits {
  signIn: RequestHandler[];
  register: RateLimitRequestHandler[];
  resetRequest: RateLimitRequestHandler[];
  resetComplete: RateLimitRequestHandler[];
  /** Confirming checks the password, so it is limited like a sign-in (it needs the emailed link too). */
  confirm: RateLimitRequestHandler[];
}

export function accountRateLimits(): AccountRateLimits {
  return {
    // Failed sign-ins per account from one address and per address, counted together (sign-in-limit.ts).
    signIn: [signInLimit()],
    register: [limiter('register-ip', { windowMs: 60 * MINUTE, limit: 20, key: ipOf })],
    resetRequest: [
      limiter('reset-ip-email', { windowMs: 60 * MINUTE, limit: 5, key: (req) => `${ipOf(req)}|${emailOf(req)}` }),
      limiter('reset-ip', { windowMs: 60 * MINUTE, limit: 30, key: ipOf }),
    ],
    resetComplete: [limiter('reset-complete-ip', { windowMs: 15 * MINUTE, limit: 20, key: ipOf })],
    confirm: [limiter('confirm-ip', { windowMs: 15 * MINUTE, limit: 20, key: ipOf, failuresOnly: true })],
  };
}
