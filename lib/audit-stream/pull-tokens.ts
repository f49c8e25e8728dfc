import { randomBytes } from 'node:crypto';
import { isValidObjectId } from 'mongoose';
import { z } from 'zod';
import { audit, type AuditInput } from '../audit';
import { parse } from '../accounts/validation';
import { notFound } from '../errors';
import { AuditPullTokenModel, STREAM_LEVELS, TenantModel, type StreamLevel } from '../models';
import { hashToken } from '../secret-tokens';

/** Per-tenancy read-only tokens for the pull API: issued by staff, shown once, revocable. */
const issueSchema = z.object({
  label: z
    .string({ error: 'label: say who uses it (e.g. "Splunk prod")' })
    .trim()
    .min(1, 'label: say who uses it (e.g. "Splunk prod")')
    .max(100, 'label: at most 100 characters'),
  level: z.enum(STREAM_LEVELS, { error: 'level: expected standard or extended' }).default('standard'),
});

type Actor = NonNullable<AuditInput['actor']>;

export async function issuePullToken(tenantId: string, raw: unknown, by: Actor) {
  const tid = tenantId.toLowerCase();
  if (!(await TenantModel.exists({ tenantId: tid }))) throw notFound(`No tenant ${tid}.`);
  const input = parse(issueSchema, raw);
  const token = `eap_${randomBytes(32).toString('base64url')}`;
  const doc = await AuditPullTokenModel.create({ tenantId: tid, tokenHash: hashToken(token), ...input, createdBy: by.email });
  await audit({
    action: 'audit-stream.pull-token.issued',
    outcome: 'success',
    actor: by,
    target: { type: 'audit-pull-token', id: doc.id },
    tenantId: tid,
    details: input,
  });
  return { id: doc.id as string, token, ...input };
}

export async function listPullTokens(tenantId: string) {
  const tokens = await AuditPullTokenModel.find({ tenantId: tenantId.toLowerCase() }).sort({ createdAt: 1 }).lean();
  return tokens.map((t) => ({
    id: String(t._id),
    label: t.label,
    level: t.level,
    createdBy: t.createdBy ?? undefined,
    createdAt: t.createdAt.toISOString(),
    revokedAt: t.revokedAt?.toISOString(),
  }));
}

export async function revokePullToken(tenantId: string, tokenId: string, by: Actor): Promise<void> {
  const tid = tenantId.toLowerCase();
  if (!isValidObjectId(tokenId)) throw notFound('No such token.');
  const { modifiedCount } = await AuditPullTokenModel.updateOne(
    { _id: tokenId, tenantId: tid, revokedAt: null },
    { $set: { revokedAt: new Date() } },
  );
  if (!modifiedCount) throw notFound('No active token with that ID for this tenancy.');
  await audit({
    action: 'audit-stream.pull-token.revoked',
    outcome: 'success',
    actor: by,
    target: { type: 'audit-pull-token', id: tokenId },
    tenantId: tid,
  });
}

/** The tenancy and level a presented token reads, or undefined for an unknown or revoked one. */
export async function pullTokenGrant(token: string): Promise<{ tenantId: string; level: StreamLevel } | undefined> {
  const doc = await AuditPullTokenModel.findOne({ tokenHash: hashToken(token) }).lean();
  return doc && !doc.revokedAt ? { tenantId: doc.tenantId, level: doc.level } : undefined;
}
