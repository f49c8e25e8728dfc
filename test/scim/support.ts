/**
 * SCIM test support: a tenancy ready for provisioning (SSO-connected, domains claimed, a SCIM
 * secret issued) and a small client that speaks to its endpoint as Entra's service would.
 */
import { randomUUID } from 'node:crypto';
import { issueScimToken } from '../../lib/scim/tokens';
import type { TestEnv } from '../support/env';
import type { Entra } from '../support/entra';
import { connectTenant, type SsoTenant, type TenantOptions } from '../support/sso';

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export class ScimClient {
  constructor(
    readonly base: string,
    public token: string,
  ) {}

  // SCIM bodies are read by the tests as they come (resources, list and error responses).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  get = (path: string) => this.call('GET', path);
  post = (path: string, body: unknown) => this.call('POST', path, body);
  patch = (path: string, ...Operations: unknown[]) => this.call('PATCH', path, { schemas: [PATCH_OP], Operations });
  delete = (path: string) => this.call('DELETE', path);
  filter = (attr: string, value: string) => this.get(`/Users?filter=${encodeURIComponent(`${attr} eq "${value}"`)}`);
}

export interface ScimTenancy extends SsoTenant {
  scim: ScimClient;
}

export async function provisioningTenancy(stack: { env: TestEnv; entra: Entra }, opts: TenantOptions): Promise<ScimTenancy> {
  const tenant = await connectTenant(stack, opts);
  const { token } = await issueScimToken(tenant.tenantId, { kind: 'staff', email: 'staff@entrada.test' }, { overlapMs: 60_000 });
  return { ...tenant, scim: new ScimClient(`${stack.env.baseUrl}/scim/v2/${tenant.tenantId}`, token) };
}

/** The body Entra's provisioning service posts for a new user (default attribute mappings, objectId → externalId). */
export function entraUserBody(
  email: string,
  extra: { objectId?: string; givenName?: string; familyName?: string; department?: string; active?: boolean } = {},
) {
  const local = email.split('@')[0];
  return {
    schemas: [USER, ENTERPRISE],
    externalId: extra.objectId ?? randomUUID(),
    userName: email,
    active: extra.active ?? true,
    displayName: `${extra.givenName ?? local} ${extra.familyName ?? 'Tester'}`,
    emails: [{ primary: true, type: 'work', value: email }],
    meta: { resourceType: 'User' },
    name: {
      formatted: `${extra.givenName ?? local} ${extra.familyName ?? 'Tester'}`,
      familyName: extra.familyName ?? 'Tester',
      givenName: extra.givenName ?? local,
    },
    [ENTERPRISE]: { department: extra.department ?? 'Engineering' },
    roles: [],
  };
}
