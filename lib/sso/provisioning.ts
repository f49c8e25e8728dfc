import { audit } from '../audit';
import { SsoIdentityModel, UserModel } from '../models';
import type { SsoClaims } from './claims';
import { bindIdentity } from './identity-binding';

export interface Provisioned {
  userId: string;
  auditEventId: string;
  /** Set when a deleted account's identity tombstone was re-pointed to this new user. */
  replacedUserId?: string;
}

/**
 * Creates an SSO user from the claims and binds the identity. Two writes, no transaction: the
 * unique email makes a racing second sign-in fail the insert (→ undefined, the caller resolves
 * again and finds this user). A failure after the insert (binding, audit) undoes what this
 * call wrote before it is rethrown; only a crash, or an undo that fails too, leaves an active
 * SSO user with no identity, which the next sign-in binds (see resolve.ts).
 */
export async function provisionSsoUser(tenantId: string, claims: SsoClaims): Promise<Provisioned | undefined> {
  let userId: string;
  const at = new Date();
  try {
    const user = await UserModel.create({
      email: claims.email,
      kind: 'sso',
      status: 'active',
      tenantId,
      displayName: claims.displayName,
      givenName: claims.givenName,
      surname: claims.surname,
      emailConfirmedAt: at,
      lastSignInAt: at,
    });
    userId = String(user._id);
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return undefined;
    throw err;
  }
  let bound: { replacedUserId?: string } | undefined;
  try {
    bound = await bindIdentity(tenantId, claims, userId, { at, onUser: 'written' });
    const { replacedUserId } = bound;
    const auditEventId = await audit({
      action: 'sso.user-provisioned',
      outcome: 'success',
      actor: { kind: 'user', userId, email: claims.email },
      target: { type: 'user', id: userId },
      tenantId,
      details: { objectId: claims.objectId, ...(replacedUserId ? { replacedUserId } : {}) },
    });
    return { userId, auditEventId, ...(replacedUserId ? { replacedUserId } : {}) };
  } catch (err) {
    await undoProvisioning(tenantId, claims.objectId, userId, bound).catch((undoErr: unknown) =>
      console.error(`sso: could not undo the provisioning of ${userId}; the next sign-in binds it`, undoErr),
    );
    throw err;
  }
}

/** The identity goes back to what it was (gone, or the deleted account's tombstone), then the user. */
async function undoProvisioning(
  tenantId: string,
  objectId: string,
  userId: string,
  bound: { replacedUserId?: string } | undefined,
): Promise<void> {
  const ours = { tenantId, objectId, userId };
  if (bound?.replacedUserId)
    await SsoIdentityModel.updateOne(ours, { $set: { userId: bound.replacedUserId, status: 'deleted', deletedAt: new Date() } });
  else if (bound) await SsoIdentityModel.deleteOne(ours);
  await UserModel.deleteOne({ _id: userId, kind: 'sso', status: 'active' });
}
