/**
 * A tenancy's SCIM bearer secrets: issued (and shown) once, stored as SHA-256, rotated with
 * overlap. Issuing a new secret while others are valid rotates them: each keeps working until
 * `now + overlap` (SCIM_TOKEN_OVERLAP unless given), so Entra can be switched over without a
 * failed cycle; revoking ends a secret at once.
 */
import { randomBytes } from 'node:crypto';
import { isValidObjectId } from 'mongoose';
import { audit } from '../audit';
import { badRequest, notFound } from '../errors';
import { ScimTokenModel, TenantModel } from '../models';
import { hashToken } from '../secret-tokens';
import { forgetCachedSecrets } from './context';

export interface TokenActor {
  kind: 'staff' | 'system';
  email?: string;
  userId?: string;
}

export interface IssuedScimToken {
  id: string;
  /** Shown once: only its hash is kept. */
  token: string;
  /** Older secrets of the tenancy and when they stop working. */
  rotated: { id: string; hint: string; expiresAt: string }[];
}

export async function issueScimToken(
  tenantId: string,
  by: TokenActor,
  opts: { overlapMs: number; label?: string },
): Promise<IssuedScimToken> {
  const tid = tenantId.toLowerCase();
  if (!(await TenantModel.exists({ tenantId: tid }))) throw notFound(`No tenancy ${tenantId}.`);
  if (!Number.isFinite(opts.overlapMs) || opts.overlapMs < 0) throw badRequest('The overlap must be a duration of zero or more.');
  if (opts.label && opts.label.length > 100) throw badRequest('Keep the label under 100 characters.');
  const now = new Date();
  const until = new Date(now.getTime() + opts.overlapMs);
  // Older secrets first: a crash after this leaves them on their overlap, never without a successor for long.
  const current = await ScimTokenModel.find({ tenantId: tid, revokedAt: null }).lean();
  const rotated = [];
  for (const t of current.filter((t) => !t.expiresAt || t.expiresAt > until)) {
    await ScimTokenModel.updateOne({ _id: t._id }, { $set: { expiresAt: until } });
    rotated.push({ id: String(t._id), hint: t.hint, expiresAt: until.toISOString() });
  }
  forgetCachedSecrets();
  const token = `scim_${randomBytes(32).toString('base64url')}`;
  const doc = await ScimTokenModel.create({
    tokenHash: hashToken(token),
    tenantId: tid,
    hint: token.slice(0, 9),
    label: opts.label,
    createdBy: by.email ?? by.kind,
  });
  await audit({
    action: 'scim.token.issued',
    outcome: 'success',
    actor: by,
    target: { type: 'scim-token', id: doc.id },
    tenantId: tid,
    details: { label: opts.label, rotated: rotated.map((r) => r.id), overlapUntil: rotated.length ? until.toISOString() : undefined },
  });
  return { id: doc.id, token, rotated };
}

export async function revokeScimToken(tenantId: string, tokenId: string, by: TokenActor): Promise<void> {
  const tid = tenantId.toLowerCase();
  if (!isValidObjectId(tokenId)) throw notFound(`No SCIM token ${tokenId}.`);
  const res = await ScimTokenModel.updateOne({ _id: tokenId, tenantId: tid, revokedAt: null }, { $set: { revokedAt: new Date() } });
  if (res.matchedCount === 0) throw notFound(`No active SCIM token ${tokenId} for tenancy ${tid}.`);
  forgetCachedSecrets();
  await audit({ action: 'scim.token.revoked', outcome: 'success', actor: by, target: { type: 'scim-token', id: tokenId }, tenantId: tid });
}

export interface ScimTokenRow {
  id: string;
  hint: string;
  label?: string;
  createdAt: string;
  createdBy: string;
  state: 'valid' | 'rotating' | 'expired' | 'revoked';
  expiresAt?: string;
  lastUsedAt?: string;
}

export async function listScimTokens(tenantId: string, now = new Date()): Promise<ScimTokenRow[]> {
  const tokens = await ScimTokenModel.find({ tenantId: tenantId.toLowerCase() }).sort({ createdAt: -1 }).lean();
  return tokens.map((t) => ({
    id: String(t._id),
    hint: t.hint,
    ...(t.label ? { label: t.label } : {}),
    createdAt: t.createdAt.toISOString(),
    createdBy: t.createdBy,
    state: t.revokedAt ? 'revoked' : !t.expiresAt ? 'valid' : t.expiresAt > now ? 'rotating' : 'expired',
    ...(t.expiresAt ? { expiresAt: t.expiresAt.toISOString() } : {}),
    ...(t.lastUsedAt ? { lastUsedAt: t.lastUsedAt.toISOString() } : {}),
  }));
}
