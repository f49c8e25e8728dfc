import type { Request } from 'express';
import type { Client } from '@temporalio/client';
import { audit } from '../../lib/audit';
import { UserModel } from '../../lib/models';
import { SamlRejection } from '../../lib/saml/rejection';
import type { SsoClaims } from '../../lib/sso/claims';
import { reportSsoEvidence } from '../../lib/sso/evidence';
import type { TenantSaml } from '../../lib/saml/tenant-config';
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
 * Starts the session (fresh ID) for an SSO user, then audits the sign-in. `signedIn.user` is
 * the account if the caller just read it. In that order so that neither outlives a failure of
 * the other: a session that could not be saved was never audited, and a saved session whose
 * audit fails is destroyed again. An IdP-initiated sign-in in the test period is checklist
 * evidence (its audit event is cited).
 */
export async function startSsoSession(
  deps: { temporal: Client },
  req: Request,
  signedIn: { userId: string; user?: ResolvedUser },
  tenant: Pick<TenantSaml, 'tenantId' | 'stage' | 'configVersion'>,
  claims: SsoClaims,
): Promise<void> {
  const { userId } = signedIn;
  const { tenantId } = tenant;
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
  try {
    // In the session before signIn saves it (before the redirect): a save by express-session at
    // the end of the response runs after the 303's headers are on the wire, so the browser's next
    // request could load the session without `sso`, which lost single logout under load.
    await signIn(req, toSessionUser(user), { sso });
  } catch (err) {
    signedOutAgain(req);
    throw err;
  }
  let auditEventId: string;
  try {
    auditEventId = await auditSignIn(req, userId, user.email, tenantId, claims);
  } catch (err) {
    await new Promise<void>((resolve) =>
      req.session.destroy((destroyErr) => {
        if (destroyErr) console.error(`sso: a session of ${userId} is signed in without its audit event`, destroyErr);
        resolve();
      }),
    );
    req.user = undefined;
    throw err;
  }
  if (claims.idpInitiated) {
    await reportSsoEvidence(deps.temporal, {
      ...tenant,
      item: 'idp-initiated',
      userId,
      email: user.email,
      auditEventIds: [auditEventId],
      summary: `${user.email} signed in from the organisation's portal (IdP-initiated).`,
    });
  }
}

/**
 * Takes the user out of this request's session again, so that what express-session writes at
 * the end of the response (it does, for a regenerated session) signs nobody in.
 */
function signedOutAgain(req: Request): void {
  const data = req.session as unknown as Record<string, unknown>;
  delete data.passport;
  delete data.sso;
  req.user = undefined;
}

function auditSignIn(req: Request, userId: string, email: string, tenantId: string, claims: SsoClaims): Promise<string> {
  return audit({
    action: 'sso.signed-in',
    outcome: 'success',
    actor: { kind: 'user', userId, email },
    target: { type: 'user', id: userId },
    tenantId,
    ...requestContext(req),
    details: {
      objectId: claims.objectId,
      ...(claims.assertionId ? { assertionId: claims.assertionId } : {}),
      ...(claims.idpInitiated ? { idpInitiated: true } : {}),
    },
  });
}
