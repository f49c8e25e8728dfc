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

export async function authenticateScim(deps: ScimDeps, tenantId: string, authorization: string | undefined, request: ScimContext['request']): Promise<ScimContext> {
  const tid = tenantId.toLowerCase();
  if (!GUID.test(tid)) throw scimNotFound('Unknown tenancy.');
  const refuse = async (reason: RefusalReason, tokenId?: string) => {
    await audit({ action: 'scim.auth.refused', outcome: 'denied', actor: { kind: 'anonymous' }, target: { type: 'tenant', id: tid }, tenantId: tid, ...request, details: { reason, ...(tokenId ? { tokenId } : {}) } });
    return scimUnauthorized(reason === 'expired' ? 'This secret was rotated out: use the current one.' : undefined);
  };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!authorization) throw await refuse('missing');
  if (!match) throw await refuse('malformed');
  const token = await ScimTokenModel.findOne({ tokenHash: hashToken(match[1]) }).lean();
  if (!token) throw await refuse('unknown');
  const tokenId = String(token._id);
  if (token.tenantId !== tid) throw await refuse('other-tenancy', tokenId);
  if (token.revokedAt) throw await refuse('revoked', tokenId);
  const now = new Date();
  if (token.expiresAt && token.expiresAt <= now) throw await refuse('expired', tokenId);

  const tenant = await TenantModel.findOne({ tenantId: tid }, { tenantId: 1, stage: 1, domains: 1 }).lean();
  if (!tenant) throw scimNotFound('Unknown tenancy.');
  if (!SIGN_IN_STAGES.includes(tenant.stage)) throw scimForbidden(`Provisioning opens when the tenancy is testing or live; it is ${tenant.stage}.`);
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await ScimTokenModel.updateOne({ _id: token._id }, { $set: { lastUsedAt: now } });
  }
  return { ...deps, tenantId: tid, stage: tenant.stage, domains: tenant.domains ?? [], tokenId, base: `${deps.config.PUBLIC_BASE_URL}/scim/v2/${tid}`, request };
}
