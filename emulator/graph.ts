/**
 * The two Microsoft endpoints Entrada's groups-overage look-up calls, in their real shapes:
 * - the token endpoint `POST /<tid>/oauth2/v2.0/token` (client credentials, scope
 *   `https://graph.microsoft.com/.default`), which issues app-only tokens only to an application
 *   the tenant's administrator consented to;
 * - Microsoft Graph `POST /v1.0/users/<oid>/getMemberGroups` `{ securityEnabledOnly }`: the user's
 *   transitive group IDs (groups nested in groups count), `{ value: [...] }`, paged with
 *   `@odata.nextLink` when the tenant's page size is set, and answering 429 with Retry-After while
 *   a throttle is scripted (`GraphScript`, via the tenant or the admin API).
 */
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { BaseFor } from './sso';
import type { TenantStore } from './tenant-store';
import type { Tenant } from './tenants';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const TOKEN_LIFETIME_S = 3599;

/** How the tenant's Graph behaves: page size, and how many next calls are throttled. */
export interface GraphScript {
  pageSize?: number;
  throttle?: { calls: number; retryAfterSeconds: number };
}

/** Groups nested in other groups, and the scripted behaviour, per tenant. */
export class TenantGraph {
  private readonly parents = new Map<string, Set<string>>();
  pageSize = 0;
  throttle = { calls: 0, retryAfterSeconds: 1 };
  calls = 0;

  nest(child: string, parent: string): void {
    const set = this.parents.get(child) ?? new Set<string>();
    set.add(parent);
    this.parents.set(child, set);
  }

  /** The direct groups and every group they are nested in, at any depth. */
  transitive(direct: readonly string[]): string[] {
    const seen = new Set<string>();
    const queue = [...direct];
    while (queue.length) {
      const group = queue.shift()!;
      if (seen.has(group)) continue;
      seen.add(group);
      queue.push(...(this.parents.get(group) ?? []));
    }
    return [...seen];
  }

  script(s: GraphScript): void {
    if (s.pageSize !== undefined) this.pageSize = s.pageSize;
    if (s.throttle) this.throttle = { ...s.throttle };
  }
}

const oauthError = (res: Response, status: number, error: string, description: string) =>
  void res.status(status).json({ error, error_description: description });
const graphError = (res: Response, status: number, code: string, message: string) =>
  void res.status(status).json({ error: { code, message } });

export function graphRouter(store: TenantStore, baseFor: BaseFor): Router {
  const router = express.Router();
  const tokens = new Map<string, { tenantId: string; expiresAt: number }>();

  router.post('/:tid/oauth2/v2.0/token', express.urlencoded({ extended: false }), (req, res) => {
    const tenant = store.get(String(req.params.tid));
    const body = (req.body ?? {}) as Record<string, string>;
    if (!tenant) return oauthError(res, 400, 'invalid_request', `AADSTS90002: Tenant '${req.params.tid}' not found.`);
    if (body.grant_type !== 'client_credentials') return oauthError(res, 400, 'unsupported_grant_type', 'AADSTS70003');
    if (body.scope !== GRAPH_SCOPE)
      return oauthError(res, 400, 'invalid_scope', `AADSTS70011: The provided scope '${body.scope}' is not valid.`);
    if (!body.client_secret) return oauthError(res, 401, 'invalid_client', 'AADSTS7000216: client_secret is required.');
    if (!tenant.consented(body.client_id ?? '')) {
      return oauthError(res, 400, 'unauthorized_client', `AADSTS700016: Application '${body.client_id}' was not found in the directory.`);
    }
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, { tenantId: tenant.tenantId, expiresAt: Date.now() + TOKEN_LIFETIME_S * 1000 });
    res.json({ token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, ext_expires_in: TOKEN_LIFETIME_S, access_token: token });
  });

  const tenantOfToken = (req: Request): Tenant | undefined => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const grant = token ? tokens.get(token) : undefined;
    return grant && grant.expiresAt > Date.now() ? store.get(grant.tenantId) : undefined;
  };

  const memberGroups = (req: Request, res: Response) => {
    const tenant = tenantOfToken(req);
    if (!tenant) return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    const graph = tenant.graph;
    graph.calls++;
    if (graph.throttle.calls > 0) {
      graph.throttle.calls--;
      res.set('Retry-After', String(graph.throttle.retryAfterSeconds));
      return graphError(res, 429, 'TooManyRequests', 'Too many requests.');
    }
    const oid = String(req.params.oid);
    const user = tenant.users().find((u) => u.objectId === oid);
    if (!user) return graphError(res, 404, 'Request_ResourceNotFound', `Resource '${oid}' does not exist.`);
    const all = graph.transitive(user.groups);
    const skip = Number(req.query.$skiptoken ?? 0) || 0;
    const size = graph.pageSize > 0 ? graph.pageSize : all.length;
    const next = skip + size < all.length ? `${baseFor(req)}/v1.0/users/${oid}/getMemberGroups?$skiptoken=${skip + size}` : undefined;
    res.json({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)',
      value: all.slice(skip, skip + size),
      ...(next ? { '@odata.nextLink': next } : {}),
    });
  };
  router.post('/v1.0/users/:oid/getMemberGroups', express.json(), memberGroups);
  router.get('/v1.0/users/:oid/getMemberGroups', memberGroups);
  return router;
}
