import type { Request } from 'express';
import { audit } from '../../lib/audit';
import { UserModel } from '../../lib/models';
import { SamlRejection } from '../../lib/saml/rejection';
import type { SsoClaims } from '../../lib/sso/claims';
import type { PendingWork } from '../../lib/sso/sign-in';
import { requestContext } from '../accounts/context';
import { signIn, toSessionUser } from '../http/session';

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

/** Starts the session (fresh ID) for an SSO user and audits the sign-in. */
export async function startSsoSession(req: Request, userId: string, tenantId: string, claims: SsoClaims): Promise<void> {
  const user = await UserModel.findById(userId).lean();
  if (!user || user.status !== 'active') {
    throw new SamlRejection('account-unavailable', 'The account is not active', 'active', user?.status ?? 'missing');
  }
  await signIn(req, toSessionUser(user));
  req.session.sso = {
    tenantId,
    nameId: claims.nameId,
    ...(claims.nameIdFormat ? { nameIdFormat: claims.nameIdFormat } : {}),
    ...(claims.sessionIndex ? { sessionIndex: claims.sessionIndex } : {}),
  };
  await audit({
    action: 'sso.signed-in',
    outcome: 'success',
    actor: { kind: 'user', userId, email: user.email },
    target: { type: 'user', id: userId },
    tenantId,
    ...requestContext(req),
    details: { objectId: claims.objectId },
  });
}
