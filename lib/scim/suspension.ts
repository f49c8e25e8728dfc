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

type Change = { changed: boolean; auditEventId: string };

export const suspendAccount = (userId: string | Types.ObjectId, cause: SuspensionCause): Promise<Change> =>
  moveAccount(userId, cause, { from: 'active', to: 'suspended', action: 'user.suspended' });

export const restoreAccount = (userId: string | Types.ObjectId, cause: SuspensionCause): Promise<Change> =>
  moveAccount(userId, cause, { from: 'suspended', to: 'active', action: 'user.restored' });

/** One conditional move of the account's status, audited whether or not it changed anything. */
async function moveAccount(
  userId: string | Types.ObjectId,
  cause: SuspensionCause,
  move: { from: 'active' | 'suspended'; to: 'active' | 'suspended'; action: string },
): Promise<Change> {
  // Suspending ends every session at once; restoring lets the person sign in again.
  const endSessions = move.to === 'suspended' ? { $inc: { sessionVersion: 1 } } : {};
  const res = await UserModel.updateOne({ _id: userId, status: move.from }, { $set: { status: move.to }, ...endSessions });
  const changed = res.modifiedCount === 1;
  const auditEventId = await audit({
    action: move.action,
    outcome: 'success',
    actor: cause.actor,
    target: { type: 'user', id: String(userId) },
    tenantId: cause.tenantId,
    details: { reason: cause.reason, changed, ...cause.details },
  });
  return { changed, auditEventId };
}
