/**
 * How many test sign-ins a tenancy may start: `TEST_SIGN_IN_LIMIT` per `TEST_SIGN_IN_WINDOW`,
 * for all its admins together (each start stores a run, a SAML request and an audit event, and
 * sends its admin to the IdP). Counted with the account forms' shared counter
 * (lib/rate-limit-counter.ts), so every web process spends the same budget. A refusal says when
 * the next start is possible and is audited once per window (`portal.test-sign-in.rate-limited`),
 * however many follow.
 */
import ms from 'ms';
import { auditTestSignIn } from './test-sign-in';
import type { RequestContext } from '../accounts/context';
import type { SessionUser } from '../accounts/session-user';
import type { Config } from '../config';
import { RateLimitCounter } from '../rate-limit-counter';

export type TestSignInBudget = { ok: true } | { ok: false; retryAt: Date; message: string };

type LimitConfig = Pick<Config, 'TEST_SIGN_IN_LIMIT' | 'TEST_SIGN_IN_WINDOW'>;

export async function takeTestSignIn(
  config: LimitConfig,
  tenantId: string,
  user: SessionUser,
  ctx: RequestContext,
): Promise<TestSignInBudget> {
  // The counter keeps no state of its own: its rows are in the database.
  const counter = new RateLimitCounter('portal-test-sign-in', config.TEST_SIGN_IN_WINDOW, config.TEST_SIGN_IN_LIMIT);
  const { totalHits, resetTime } = await counter.hit(tenantId);
  if (totalHits <= config.TEST_SIGN_IN_LIMIT) return { ok: true };
  if (totalHits === config.TEST_SIGN_IN_LIMIT + 1)
    await auditTestSignIn('portal.test-sign-in.rate-limited', 'denied', tenantId, user, ctx, {
      limit: config.TEST_SIGN_IN_LIMIT,
      windowMs: config.TEST_SIGN_IN_WINDOW,
      retryAt: resetTime.toISOString(),
    });
  const minutes = Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 60_000));
  const hhmm = (d: Date) => d.toISOString().slice(11, 16);
  const since = new Date(resetTime.getTime() - config.TEST_SIGN_IN_WINDOW);
  return {
    ok: false,
    retryAt: resetTime,
    message: `Your organisation has started ${config.TEST_SIGN_IN_LIMIT} test sign-ins since ${hhmm(since)} UTC, the most allowed in ${ms(config.TEST_SIGN_IN_WINDOW, { long: true })}. You can start another at ${hhmm(resetTime)} UTC (in about ${minutes} minute${minutes === 1 ? '' : 's'}).`,
  };
}
