import { audit } from '../audit';
import { FailureType } from '../contracts/failures';
import { Refusal } from '../contracts/refusal';
import { UserModel } from '../models';
import { hashPassword, verifyPassword } from '../passwords';
import { toSessionUser, type SessionUser } from './session-user';
import type { RequestContext } from './context';

/**
 * Password sign-in, audited either way. Called after home-realm discovery
 * (`ssoRedirectFor`) found no SSO for the email. The caller starts the session. A refusal is a
 * Refusal whose reason is the SignInRefusal in snake case (`bad_credentials`: 401, others 403).
 *
 * Messages only say more than "incorrect" once the password was right, except for SSO
 * accounts, which have no password and whose users must be told where to go instead.
 */
export type SignInRefusal = 'bad-credentials' | 'email-unconfirmed' | 'sso-account' | 'account-inactive';

export const SIGN_IN_MESSAGES: Record<SignInRefusal, string> = {
  'bad-credentials': 'The email or password is incorrect.',
  'email-unconfirmed': 'Confirm your email address first: we sent you a link when you registered.',
  'sso-account': "This account signs in with your organisation's single sign-on.",
  'account-inactive': 'This account is being deleted and can no longer sign in.',
};

// Unknown emails still cost one scrypt, so response time does not reveal which emails exist.
let dummyHash: Promise<string> | undefined;

const signInRefusal = (code: SignInRefusal) =>
  new Refusal(code === 'bad-credentials' ? FailureType.Unauthenticated : FailureType.Forbidden, SIGN_IN_MESSAGES[code], {
    reason: code.replace(/-/g, '_'),
  });

export async function passwordSignIn(email: string, password: string, ctx: RequestContext): Promise<SessionUser> {
  const user = await UserModel.findOne({ email }).lean();
  const refuse = async (code: SignInRefusal, reason: string): Promise<never> => {
    await audit({
      action: 'auth.signin',
      outcome: 'failure',
      actor: { kind: 'anonymous', email },
      target: user ? { type: 'user', id: String(user._id) } : undefined,
      tenantId: user?.tenantId ?? undefined,
      ...ctx,
      details: { method: 'password', reason },
    });
    throw signInRefusal(code);
  };

  if (!user) {
    await verifyPassword(password, await (dummyHash ??= hashPassword('not-a-real-password')));
    return refuse('bad-credentials', 'unknown-email');
  }
  if (user.kind === 'sso' || user.status === 'migrating') return refuse('sso-account', user.kind === 'sso' ? 'sso-account' : 'migrating');
  if (!(await verifyPassword(password, user.passwordHash)))
    return refuse('bad-credentials', user.passwordHash ? 'wrong-password' : 'no-password');
  if (user.status !== 'active') return refuse('account-inactive', `status-${user.status}`);
  if (!user.emailConfirmedAt) return refuse('email-unconfirmed', 'email-unconfirmed');

  await audit({
    action: 'auth.signin',
    outcome: 'success',
    actor: { kind: 'user', userId: String(user._id), email: user.email },
    target: { type: 'user', id: String(user._id) },
    tenantId: user.tenantId ?? undefined,
    ...ctx,
    details: { method: 'password' },
  });
  return toSessionUser(user);
}
