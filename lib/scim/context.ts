/**
 * Who is calling a tenancy's SCIM endpoint. The bearer secret must be one of *this* tenancy's
 * (the URL names the tenancy; a secret of another is refused like a wrong one), not revoked,
 * not past its rotation overlap. Every refusal is a 401, audited with its reason.
 */
import type { Client } from '@temporalio/client';
import { audit } from '../audit';
import type { Config } from '../config';
import type { Mailer } from '../mailer';
import { ScimTokenModel, TenantModel } from '../models';
import { SIGN_IN_STAGES } from '../saml/tenant-config';
import { hashToken } from '../secret-tokens';
import type { OnboardingStage } from '../contracts/shared';
import { scimForbidden, scimNotFound, scimUnauthorized } from './errors';

export interface ScimDeps {
  config: Config;
  temporal: Client;
  mailer: Mailer;
}

export interface ScimContext extends ScimDeps {
  tenantId: string;
  stage: OnboardingStage;
  domains: string[];
  tokenId: string;
  /** `<PUBLIC_BASE_URL>/scim/v2/<tid>`, for `meta.location`. */
  base: string;
  request: { ip?: string; userAgent?: string };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** `lastUsedAt` is written at most this often (one write per request would double the load). */
const LAST_USED_EVERY_MS = 5 * 60 * 1000;

export type RefusalReason = 'missing' | 'malformed' | 'unknown' | 'other-tenancy' | 'expired' | 'revoked';

/**
 * Secrets and tenancies as last read, kept for a few seconds: Entra sends thousands of requests
 * per cycle, and two look-ups each would double the database work. A secret issued, rotated
 * or revoked in this process (staff console and API) applies at once; one changed elsewhere (the
 * CLI, another web process), and a change of the tenancy's stage or domains, within CACHE_MS.
 * An overlap's end is checked on every request. Unknown secrets are never cached.
 */
const CACHE_MS = 5_000;
type CachedToken = { tokenId: string; tenantId: string; expiresAt?: Date; revokedAt?: Date; lastUsedAt?: Date; at: number };
type CachedTenant = { stage: OnboardingStage; domains: string[]; at: number };
const tokens = new Map<string, CachedToken>();
const tenants = new Map<string, CachedTenant>();
const fresh = <T extends { at: number }>(entry: T | undefined, now: number) => (entry && now - entry.at < CACHE_MS ? entry : undefined);

export async function authenticateScim(
  deps: ScimDeps,
  tenantId: string,
  authorization: string | undefined,
  request: ScimContext['request'],
): Promise<ScimContext> {
  const tid = tenantId.toLowerCase();
  if (!GUID.test(tid)) throw scimNotFound('Unknown tenancy.');
  const refuse = async (reason: RefusalReason, tokenId?: string) => {
    await audit({
      action: 'scim.auth.refused',
      outcome: 'denied',
      actor: { kind: 'anonymous' },
      target: { type: 'tenant', id: tid },
      tenantId: tid,
      ...request,
      details: { reason, ...(tokenId ? { tokenId } : {}) },
    });
    return scimUnauthorized(reason === 'expired' ? 'This secret was rotated out: use the current one.' : undefined);
  };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!authorization) throw await refuse('missing');
  if (!match) throw await refuse('malformed');
  const now = new Date();
  const token = await tokenFor(hashToken(match[1]), now.getTime());
  if (!token) throw await refuse('unknown');
  if (token.tenantId !== tid) throw await refuse('other-tenancy', token.tokenId);
  if (token.revokedAt) throw await refuse('revoked', token.tokenId);
  if (token.expiresAt && token.expiresAt <= now) throw await refuse('expired', token.tokenId);

  const tenant = await tenantFor(tid, now.getTime());
  if (!tenant) throw scimNotFound('Unknown tenancy.');
  if (!SIGN_IN_STAGES.includes(tenant.stage))
    throw scimForbidden(`Provisioning opens when the tenancy is testing or live; it is ${tenant.stage}.`);
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    token.lastUsedAt = now;
    await ScimTokenModel.updateOne({ _id: token.tokenId }, { $set: { lastUsedAt: now } });
  }
  return {
    ...deps,
    tenantId: tid,
    stage: tenant.stage,
    domains: tenant.domains,
    tokenId: token.tokenId,
    base: `${deps.config.PUBLIC_BASE_URL}/scim/v2/${tid}`,
    request,
  };
}

/** After a revocation here, this process refuses the secret at once (others within CACHE_MS). */
export function forgetCachedSecrets(): void {
  tokens.clear();
}

async function tokenFor(hash: string, now: number): Promise<CachedToken | undefined> {
  const hit = fresh(tokens.get(hash), now);
  if (hit) return hit;
  const doc = await ScimTokenModel.findOne({ tokenHash: hash }).lean();
  if (!doc) return undefined;
  const entry = {
    tokenId: String(doc._id),
    tenantId: doc.tenantId,
    expiresAt: doc.expiresAt ?? undefined,
    revokedAt: doc.revokedAt ?? undefined,
    lastUsedAt: doc.lastUsedAt ?? undefined,
    at: now,
  };
  if (tokens.size >= 1_000) tokens.clear();
  tokens.set(hash, entry);
  return entry;
}

async function tenantFor(tid: string, now: number): Promise<CachedTenant | undefined> {
  const hit = fresh(tenants.get(tid), now);
  if (hit) return hit;
  const doc = await TenantModel.findOne({ tenantId: tid }, { stage: 1, domains: 1 }).lean();
  if (!doc) return undefined;
  const entry = { stage: doc.stage, domains: doc.domains ?? [], at: now };
  if (tenants.size >= 1_000) tenants.clear();
  tenants.set(tid, entry);
  return entry;
}
