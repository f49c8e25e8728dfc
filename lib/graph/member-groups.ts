/**
 * A user's transitive security groups from Microsoft Graph, for sign-ins whose token carries
 * Entra's groups-overage link instead of the groups. App-only: a token by client credentials
 * from the customer's tenant for Entrada's multi-tenant app (ENTRA_CLIENT_ID/SECRET; the admin
 * consent of onboarding granted it), then `POST /v1.0/users/<oid>/getMemberGroups
 * {securityEnabledOnly: true}`, following `@odata.nextLink`.
 *
 * Results are reused for GRAPH_GROUPS_CACHE_TTL per process, tokens until 5 minutes before they
 * expire. Under throttling (429) it waits as Retry-After says, but never past
 * GRAPH_THROTTLE_MAX_WAIT in all; any failure is a GraphLookupError (the caller fails closed).
 */
import type { Config } from '../config';

export type GraphConfig = Pick<
  Config,
  | 'ENTRA_LOGIN_BASE_URL'
  | 'ENTRA_CLIENT_ID'
  | 'ENTRA_CLIENT_SECRET'
  | 'GRAPH_BASE_URL'
  | 'GRAPH_GROUPS_CACHE_TTL'
  | 'GRAPH_THROTTLE_MAX_WAIT'
>;

export class GraphLookupError extends Error {
  constructor(
    message: string,
    readonly details: { status?: number; retryAfterSeconds?: number; body?: string },
  ) {
    super(message);
    this.name = 'GraphLookupError';
  }
}

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const REQUEST_TIMEOUT_MS = 10_000;
const TOKEN_EARLY_MS = 5 * 60_000;
const MAX_PAGES = 100;
const CACHE_LIMIT = 50_000;

const groupsCache = new Map<string, { groups: string[]; until: number }>();
const tokenCache = new Map<string, { token: string; until: number }>();

export async function transitiveGroupsOf(config: GraphConfig, tenantId: string, objectId: string): Promise<string[]> {
  const key = `${tenantId}:${objectId}`;
  const hit = groupsCache.get(key);
  if (hit && hit.until > Date.now()) return hit.groups;
  const deadline = Date.now() + config.GRAPH_THROTTLE_MAX_WAIT;
  const groups = await lookUp(config, tenantId, objectId, deadline).catch(async (err: unknown) => {
    // A token revoked or expired early: once more with a fresh one.
    if (!(err instanceof GraphLookupError) || err.details.status !== 401) throw err;
    tokenCache.delete(tenantId);
    return lookUp(config, tenantId, objectId, deadline);
  });
  if (groupsCache.size >= CACHE_LIMIT) groupsCache.clear();
  groupsCache.set(key, { groups, until: Date.now() + config.GRAPH_GROUPS_CACHE_TTL });
  return groups;
}

async function lookUp(config: GraphConfig, tenantId: string, objectId: string, deadline: number): Promise<string[]> {
  const token = await appToken(config, tenantId, deadline);
  const groups: string[] = [];
  let url: string | undefined = `${config.GRAPH_BASE_URL.replace(/\/+$/, '')}/v1.0/users/${encodeURIComponent(objectId)}/getMemberGroups`;
  let init: RequestInit = { method: 'POST', body: JSON.stringify({ securityEnabledOnly: true }) };
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const body = (await call(
      url,
      { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      deadline,
    )) as {
      value?: unknown;
      '@odata.nextLink'?: string;
    };
    if (!Array.isArray(body.value)) throw new GraphLookupError('Graph answered getMemberGroups without a value list', {});
    groups.push(...body.value.filter((g): g is string => typeof g === 'string').map((g) => g.toLowerCase()));
    url = body['@odata.nextLink'];
    init = { method: 'GET' };
  }
  if (url) throw new GraphLookupError(`getMemberGroups had more than ${MAX_PAGES} pages`, {});
  return groups;
}

async function appToken(config: GraphConfig, tenantId: string, deadline: number): Promise<string> {
  const cached = tokenCache.get(tenantId);
  if (cached && cached.until > Date.now()) return cached.token;
  if (!config.ENTRA_CLIENT_SECRET) throw new GraphLookupError('ENTRA_CLIENT_SECRET is not configured', {});
  const body = (await call(
    `${config.ENTRA_LOGIN_BASE_URL.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: config.ENTRA_CLIENT_ID,
        client_secret: config.ENTRA_CLIENT_SECRET,
        scope: GRAPH_SCOPE,
      }),
    },
    deadline,
  )) as { access_token?: string; expires_in?: number | string };
  if (!body.access_token) throw new GraphLookupError('The token endpoint answered without an access token', {});
  tokenCache.set(tenantId, { token: body.access_token, until: Date.now() + Number(body.expires_in ?? 3599) * 1000 - TOKEN_EARLY_MS });
  return body.access_token;
}

/** One JSON call; 429 is waited out while Retry-After fits before `deadline`. */
async function call(url: string, init: RequestInit, deadline: number): Promise<unknown> {
  for (;;) {
    let res: globalThis.Response;
    try {
      res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (err) {
      throw new GraphLookupError(`${new URL(url).host} could not be reached: ${(err as Error).message}`, {});
    }
    if (res.status === 429) {
      const retryAfterSeconds = Number(res.headers.get('retry-after') ?? 1) || 1;
      if (Date.now() + retryAfterSeconds * 1000 > deadline)
        throw new GraphLookupError('Microsoft Graph is throttling the look-up for longer than we wait', { status: 429, retryAfterSeconds });
      await new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1000));
      continue;
    }
    const text = await res.text();
    if (!res.ok)
      throw new GraphLookupError(`${new URL(url).pathname} answered ${res.status}`, { status: res.status, body: text.slice(0, 500) });
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new GraphLookupError(`${new URL(url).pathname} answered with something other than JSON`, { status: res.status });
    }
  }
}
