import type { Request } from 'express';
import { audit } from '../../lib/audit';
import { UserModel } from '../../lib/models';
import { SamlRejection } from '../../lib/saml/rejection';
import type { SsoClaims } from '../../lib/sso/claims';
import type { ResolvedUser } from '../../lib/sso/resolve';
import type { PendingWork } from '../../lib/sso/sign-in';
import { requestContext } from '../http/request-context';
import { toSessionUser } from '../../lib/accounts/session-user';
import { signIn } from '../http/session';

/** What an SSO session remembers for single logout (the IdP needs NameID and SessionIndex). */
export interface SsoSessionInfo {
  tenantId: string;
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
}

/** A verified sign-in waiting for a workflow; only this browser's session can finish it. */
export interface PendingSsoSignIn {
  tenantId: string;
  claims: SsoClaims;
  work: PendingWork;
  relayState: string;
}

declare module 'express-session' {
  interface SessionData {
    sso?: SsoSessionInfo;
    pendingSso?: PendingSsoSignIn;
  }
}

/**
 * Starts the session (fresh ID) for an SSO user and audits the sign-in (both at once: the
 * audit event does not depend on the session). `signedIn.user` is the account if the caller just read it.
 */
export async function startSsoSession(req: Request, signedIn: { userId: string; user?: ResolvedUser }, tenantId: string, claims: SsoClaims): Promise<void> {
  const { userId } = signedIn;
  const user = signedIn.user ?? (await UserModel.findById(userId).lean());
  if (!user || user.status !== 'active') {
    throw new SamlRejection('account-unavailable', 'The account is not active', 'active', user?.status ?? 'missing');
  }
  const sso: SsoSessionInfo = {
    tenantId,
    nameId: claims.nameId,
    ...(claims.nameIdFormat ? { nameIdFormat: claims.nameIdFormat } : {}),
    ...(claims.sessionIndex ? { sessionIndex: claims.sessionIndex } : {}),
  };
  // In the session before signIn saves it (before the redirect): a save by express-session at
  // the end of the response runs after the 303's headers are on the wire, so the browser's next
  // request could load the session without `sso`, which lost single logout under load.
  await Promise.all([signIn(req, toSessionUser(user), { sso }), auditSignIn(req, userId, user.email, tenantId, claims)]);
}

function auditSignIn(req: Request, userId: string, email: string, tenantId: string, claims: SsoClaims): Promise<string> {
  return audit({
    action: 'sso.signed-in',
    outcome: 'success',
    actor: { kind: 'user', userId, email },
    target: { type: 'user', id: userId },
    tenantId,
    ...requestContext(req),
    details: { objectId: claims.objectId },
  });
}
