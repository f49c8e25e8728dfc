import { audit } from '../audit';
import { UserModel } from '../models';
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
 * again and finds this user), and a crash between the writes leaves an active SSO user with
 * no identity, which the next sign-in binds (see resolve.ts).
 */
export async function provisionSsoUser(tenantId: string, claims: SsoClaims): Promise<Provisioned | undefined> {
  let userId: string;
  try {
    const user = await UserModel.create({
      email: claims.email,
      kind: 'sso',
      status: 'active',
      tenantId,
      displayName: claims.displayName,
      givenName: claims.givenName,
      surname: claims.surname,
      emailConfirmedAt: new Date(),
    });
    userId = String(user._id);
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return undefined;
    throw err;
  }
  const { replacedUserId } = await bindIdentity(tenantId, claims, userId);
  const auditEventId = await audit({
    action: 'sso.user-provisioned',
    outcome: 'success',
    actor: { kind: 'user', userId, email: claims.email },
    target: { type: 'user', id: userId },
    tenantId,
    details: { objectId: claims.objectId, ...(replacedUserId ? { replacedUserId } : {}) },
  });
  return { userId, auditEventId, ...(replacedUserId ? { replacedUserId } : {}) };
}
