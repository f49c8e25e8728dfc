import type { Request, RequestHandler } from 'express';
import { audit } from '../../lib/audit';
import type { Config } from '../../lib/config';
import { tooManyRequests } from '../../lib/errors';
import { FloodLimit } from '../../lib/flood-limit';
import { ipOf } from './rate-limits';
import { requestContext } from './request-context';

/**
 * Rate limits of the SAML endpoints: sign-in starts (`/saml/<tid>/login`), ACS posts and the
 * progress polls of a pending sign-in, each with its own budget per minute per tenancy and, within
 * it, per client address. Each is a FloodLimit (lib/flood-limit.ts): counted in this process and
 * shared with the other web processes through the database about once a second, so a request
 * costs no database command and every process spends the same budget. The tenancy is in every
 * key: a flood at one tenancy never refuses another's users, and an address past its limit is
 * not counted, so it does not spend its tenancy's budget. A refusal is a 429 page with
 * Retry-After, audited once per limit, key and window as `saml.rate-limited` under the tenancy.
 */
const MINUTE = 60 * 1000;

export interface SamlRateLimits {
  login: RequestHandler;
  acs: RequestHandler;
  status: RequestHandler;
}

/** The tenancy in the URL, or for a progress poll the one the session's pending sign-in is at. */
const tenancyOf = (req: Request) => (req.params.tid ? String(req.params.tid).toLowerCase() : (req.session?.pendingSso?.tenantId ?? 'none'));

export function samlRateLimits(config: Pick<Config, 'SAML_RATE_LIMIT_PER_IP' | 'SAML_RATE_LIMIT_PER_TENANT'>): SamlRateLimits {
  const limits = { outer: config.SAML_RATE_LIMIT_PER_TENANT, inner: config.SAML_RATE_LIMIT_PER_IP };
  const limit = (endpoint: string, what: string): RequestHandler => {
    const flood = new FloodLimit(`saml-${endpoint}`, MINUTE, limits);
    return async (req, res, next) => {
      const tenantId = tenancyOf(req);
      const verdict = await flood.take(tenantId, ipOf(req));
      if (!verdict.over) return next();
      const { resetTime } = verdict.counts;
      res.set('Retry-After', String(Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000))));
      const limiter = verdict.over === 'inner' ? `saml-${endpoint}-ip` : `saml-${endpoint}-tenant`;
      // Audited once per limit, key and window, however many requests are refused.
      if (verdict.first) {
        await audit({
          action: 'saml.rate-limited',
          outcome: 'denied',
          actor: { kind: 'anonymous' },
          target: { type: 'tenant', id: tenantId },
          tenantId,
          ...requestContext(req),
          details: { limiter, limit: verdict.over === 'inner' ? limits.inner : limits.outer, windowMs: MINUTE },
        });
      }
      next(tooManyRequests(`Too many ${what} for this organisation just now. Wait a minute, then try again.`));
    };
  };
  return { login: limit('login', 'sign-in attempts'), acs: limit('acs', 'sign-in responses'), status: limit('status', 'progress checks') };
}
