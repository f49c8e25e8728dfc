import { audit } from '../audit';
import { Refusal } from '../contracts/refusal';
import { UserModel } from '../models';
import type { AccountDeps } from '../accounts/context';
import { passwordSignIn } from '../accounts/password-sign-in';
import { register } from '../accounts/registration';
import { check, registrationSchema } from '../accounts/validation';
import type { SessionUser } from '../accounts/session-user';
import { acceptInvite, type AcceptResult } from './accept';
import { auditRefusal, openInvite, type OpenedInvite, type RequestInfo } from './open';
import type { InviteView } from './views';

/**
 * Registration through a standard invite link: the accounts service creates the account
 * (its policy refuses nominated domains), the invite then stands in for the confirmation
 * link (it reached that mailbox, which is what confirming proves), the person is signed in
 * with the password they chose, and the invite is accepted. The email is the invited one,
 * whatever the form sent.
 */

export type InviteRegistration =
  | { outcome: 'registered'; user: SessionUser; accepted: AcceptResult }
  | { outcome: 'dead-link'; opened: OpenedInvite & { ok: false } }
  /** The domain was nominated since the invite was sent: the corporate flow takes over. */
  | { outcome: 'use-sso' }
  | {
      outcome: 'refused';
      status: 400 | 403 | 409;
      reason: 'invalid-input' | 'policy' | 'account-exists';
      message: string;
      view: InviteView;
      ssoUrl?: string;
    };

export async function registerThroughInvite(
  token: string,
  body: { displayName?: unknown; password?: unknown },
  ctx: RequestInfo,
  deps: AccountDeps,
): Promise<InviteRegistration> {
  const opened = await openInvite(token);
  if (!opened.ok) {
    await auditRefusal(opened.reason, opened.view, ctx, 'register');
    return { outcome: 'dead-link', opened };
  }
  const { invite, view } = opened;
  if (opened.tenant) {
    // These people use SSO, never a password.
    await auditRefusal('nominated-domain', view, ctx, 'register');
    return { outcome: 'use-sso' };
  }
  const input = check(registrationSchema, { email: invite.email, displayName: body.displayName, password: body.password });
  if (!input.ok) return { outcome: 'refused', status: 400, reason: 'invalid-input', message: input.message, view };

  try {
    await register(input.data, ctx, deps);
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    const ssoUrl = typeof err.details?.ssoUrl === 'string' ? err.details.ssoUrl : undefined;
    return { outcome: 'refused', status: 403, reason: 'policy', message: err.message, ssoUrl, view };
  }

  const confirmed = await UserModel.findOneAndUpdate(
    { email: invite.email, kind: 'standard', status: 'active', emailConfirmedAt: null },
    { $set: { emailConfirmedAt: new Date() } },
    { returnDocument: 'after' },
  );
  if (confirmed) {
    await audit({
      action: 'auth.email-confirmed',
      outcome: 'success',
      actor: { kind: 'user', userId: confirmed.id, email: confirmed.email },
      target: { type: 'user', id: confirmed.id },
      ...ctx,
      details: { via: 'invite', inviteId: view.id },
    });
  }
  let user: SessionUser;
  try {
    user = await passwordSignIn(invite.email, input.data.password, ctx);
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    // The address had a confirmed account already, with another password: it stays as it was.
    return {
      outcome: 'refused',
      status: 409,
      reason: 'account-exists',
      view,
      message: `There is already an Entrada account for ${invite.email}. Sign in with it to accept the invite.`,
    };
  }
  return { outcome: 'registered', user, accepted: await acceptInvite(token, user, ctx) };
}
