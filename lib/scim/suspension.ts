/**
 * Suspension: the account stays, with every file, share and membership; sign-in is refused
 * with a page that says so, and every session ends at once (the `sessionVersion` bump).
 * Only an `active` account is suspended and only a `suspended` one restored, so both are
 * idempotent and neither can revive a deleted account.
 */
import type { Types } from 'mongoose';
import { audit, type AuditInput } from '../audit';
import { UserModel } from '../models';

export interface SuspensionCause {
  tenantId: string;
  actor: NonNullable<AuditInput['actor']>;
  /** Why, for the audit trail: `scim-inactive`, `scim-deleted`, `restored-by-staff`... */
  reason: string;
  details?: Record<string, unknown>;
}

export async function suspendAccount(
  userId: string | Types.ObjectId,
  cause: SuspensionCause,
): Promise<{ changed: boolean; auditEventId: string }> {
  const res = await UserModel.updateOne({ _id: userId, status: 'active' }, { $set: { status: 'suspended' }, $inc: { sessionVersion: 1 } });
  const changed = res.modifiedCount === 1;
  const auditEventId = await audit({
    action: 'user.suspended',
    outcome: 'success',
    actor: cause.actor,
    target: { type: 'user', id: String(userId) },
    tenantId: cause.tenantId,
    details: { reason: cause.reason, changed, ...cause.details },
  });
  return { changed, auditEventId };
}

export async function restoreAccount(
  userId: string | Types.ObjectId,
  cause: SuspensionCause,
): Promise<{ changed: boolean; auditEventId: string }> {
  const res = await UserModel.updateOne({ _id: userId, status: 'suspended' }, { $set: { status: 'active' } });
  const changed = res.modifiedCount === 1;
  const auditEventId = await audit({
    action: 'user.restored',
    outcome: 'success',
    actor: cause.actor,
    target: { type: 'user', id: String(userId) },
    tenantId: cause.tenantId,
    details: { reason: cause.reason, changed, ...cause.details },
  });
  return { changed, auditEventId };
}
