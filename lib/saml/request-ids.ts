import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { Config } from '../config';

/** How long an issued AuthnRequest may be answered (Entra sign-in incl. MFA fits easily). */
export const SAML_REQUEST_TTL_MS = 15 * 60 * 1000;
/** An ID "issued" later than this ahead of our clock is refused (clocks of several web processes). */
const FUTURE_SKEW_MS = 60 * 1000;

/**
 * `_[test_<run>_]<issued ms, base 36>_<nonce>_<mac>`: an NCName, as SAML IDs must be.
 * The test run is a portal test sign-in's (lib/portal/test-sign-in.ts).
 */
const REQUEST_ID = /^_(?:test_([0-9a-f]{24})_)?([0-9a-z]{1,11})_([0-9a-f]{32})_([0-9a-f]{32})$/;

export interface IssuedRequest {
  issuedAt: Date;
  /** The portal test sign-in this request belongs to. */
  testRunId?: string;
}

/**
 * Our AuthnRequest (and LogoutRequest) IDs prove themselves: each carries when it was issued and
 * an HMAC over the tenant, the issue time, a random nonce and the test run, if any. "Did we issue
 * this ID, for this tenant, less than 15 minutes ago?" is then a computation, not a database row
 * written at every sign-in start and read at every ACS post (two round trips of each sign-in).
 * Answered-once is unchanged: the ACS claims the request ID (`saml-request:…`,
 * lib/saml/checks/replay.ts), with the assertion's own claim, in one unique insert.
 *
 * The key is derived from SESSION_SECRET, which every web process shares; rotating that secret
 * also voids the sign-ins started in the last 15 minutes (their users start again).
 */
export class RequestIds {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('entrada/saml-request-id/v1').digest();
  }

  issue(tenantId: string, testRunId?: string, now = Date.now()): string {
    const issued = now.toString(36);
    const nonce = randomBytes(16).toString('hex');
    return `_${testRunId ? `test_${testRunId}_` : ''}${issued}_${nonce}_${this.mac(tenantId, testRunId, issued, nonce).toString('hex')}`;
  }

  /** What an ID says about itself if we issued it for this tenant and it is still fresh; else undefined. */
  verify(tenantId: string, requestId: string | undefined, now = Date.now()): IssuedRequest | undefined {
    const parts = requestId ? REQUEST_ID.exec(requestId) : null;
    if (!parts) return undefined;
    const [, testRunId, issued, nonce, mac] = parts as unknown as [string, string | undefined, string, string, string];
    if (!timingSafeEqual(Buffer.from(mac, 'hex'), this.mac(tenantId, testRunId, issued, nonce))) return undefined;
    const issuedAt = parseInt(issued, 36);
    if (issuedAt > now + FUTURE_SKEW_MS || now - issuedAt > SAML_REQUEST_TTL_MS) return undefined;
    return { issuedAt: new Date(issuedAt), ...(testRunId ? { testRunId } : {}) };
  }

  /** node-saml's InResponseTo store for one tenant (and, for a portal test sign-in, one run). */
  cacheFor(tenantId: string, testRunId?: string): { cacheProvider: CacheProvider; generateUniqueId: () => string } {
    return {
      generateUniqueId: () => this.issue(tenantId, testRunId),
      cacheProvider: {
        // The ID is its own record: nothing to store, and consuming it is the ACS's claim.
        saveAsync: async (_key: string, value: string): Promise<CacheItem> => ({ value, createdAt: Date.now() }),
        getAsync: async (key: string) => this.verify(tenantId, key)?.issuedAt.toISOString() ?? null,
        removeAsync: async (key: string | null) => key,
      },
    };
  }

  private mac(tenantId: string, testRunId: string | undefined, issued: string, nonce: string): Buffer {
    return createHmac('sha256', this.key)
      .update(`${tenantId}\n${testRunId ?? ''}\n${issued}\n${nonce}`)
      .digest()
      .subarray(0, 16);
  }
}

const bySecret = new Map<string, RequestIds>();

/** The request IDs of this deployment (one per SESSION_SECRET, so the key is derived once). */
export function requestIdsOf(config: Pick<Config, 'SESSION_SECRET'>): RequestIds {
  let ids = bySecret.get(config.SESSION_SECRET);
  if (!ids) bySecret.set(config.SESSION_SECRET, (ids = new RequestIds(config.SESSION_SECRET)));
  return ids;
}
