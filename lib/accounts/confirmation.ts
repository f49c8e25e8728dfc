import { isValidObjectId } from 'mongoose';
import { audit } from '../audit';
import { FailureType } from '../contracts/failures';
import { Refusal } from '../contracts/refusal';
import { UserModel, type UserDoc } from '../models';
import { verifyPassword } from '../passwords';
import { toSessionUser, type SessionUser } from './session-user';
import type { AccountDeps, RequestContext } from './context';
import { confirmEmail, mailWindow, MINUTE } from './emails';
import { invalidLink, registrationFingerprint, signLink, verifyLink } from './link-tokens';

/**
 * Email confirmation. The link alone is not enough: the person also enters the password the
 * account was registered with. So whoever controls the mailbox can only confirm the
 * registration they made themselves — an account pre-registered by someone else with that
 * address cannot be "confirmed for them" (pre-account-takeover). The link is also bound to
 * the registration fingerprint (email + password hash), so re-registering voids older links.
 * Confirming signs the person in: they have just proven both mailbox and password.
 */

/** One email per registration (its fingerprint), and at most one resend a minute. */
export async function sendConfirmation(user: UserDoc, occasion: 'registered' | 'resend', deps: AccountDeps): Promise<void> {
  const fingerprint = registrationFingerprint(user.email, user.passwordHash);
  const token = signLink(deps.config.SESSION_SECRET, 'confirm-email', user.id, fingerprint);
  const body = confirmEmail(user.displayName || user.email, `${deps.config.PUBLIC_BASE_URL}/register/confirm?token=${token}`);
  await deps.mailer.send({
    key: `confirm-email:${user.id}:${fingerprint}${occasion === 'resend' ? `:resend:${mailWindow(MINUTE)}` : ''}`,
    to: [user.email],
    template: 'confirm-email',
    ...body,
  });
}

type LinkTarget = { ok: true; user: UserDoc } | { ok: false; reason: string; message: string; userId?: string };

/** What a link confirms. Only the link itself can make it invalid: a database failure is not "invalid". */
async function linkTarget(token: string, deps: AccountDeps): Promise<LinkTarget> {
  const check = verifyLink(deps.config.SESSION_SECRET, 'confirm-email', token);
  const user =
    check.ok && isValidObjectId(check.userId) ? await UserModel.findOne({ _id: check.userId, kind: 'standard', status: 'active' }) : null;
  const reason = !check.ok
    ? check.reason
    : !user
      ? 'unknown-user'
      : registrationFingerprint(user.email, user.passwordHash) !== check.version
        ? 'superseded'
        : undefined;
  if (!reason && user) return { ok: true, user };
  const message = reason === 'expired' ? 'This confirmation link has expired.' : 'This confirmation link is not valid any more.';
  return { ok: false, reason: reason ?? 'unknown-user', message: `${message} Ask for a new one below.`, userId: user?.id };
}

/** For the page behind the link: whom it confirms, before the password is asked. */
export async function checkConfirmationLink(token: string, deps: AccountDeps): Promise<{ email: string }> {
  const target = await linkTarget(token, deps);
  if (!target.ok) throw invalidLink(target.message);
  return { email: target.user.email };
}

/**
 * Confirming again later is harmless: it is then just a sign-in with the link and password.
 * Refused with 400 `link_invalid` or 401 `bad_password`.
 */
export async function confirmRegistration(token: string, password: string, ctx: RequestContext, deps: AccountDeps): Promise<SessionUser> {
  const target = await linkTarget(token, deps);
  if (!target.ok) {
    await audit({
      action: 'auth.email-confirmed',
      outcome: 'failure',
      actor: { kind: 'anonymous' },
      target: target.userId ? { type: 'user', id: target.userId } : undefined,
      ...ctx,
      details: { reason: target.reason },
    });
    throw invalidLink(target.message);
  }
  const { user } = target;
  const actor = { kind: 'user' as const, userId: user.id, email: user.email };
  if (!(await verifyPassword(password, user.passwordHash))) {
    await audit({
      action: 'auth.email-confirmed',
      outcome: 'failure',
      actor: { ...actor, kind: 'anonymous' },
      target: { type: 'user', id: user.id },
      ...ctx,
      details: { reason: 'wrong-password' },
    });
    throw new Refusal(
      FailureType.Unauthenticated,
      'That is not the password this account was registered with. Forgot it? Register again with the same email, or reset it.',
      {
        reason: 'bad_password',
      },
    );
  }
  const updated = await UserModel.updateOne({ _id: user._id, emailConfirmedAt: null }, { $set: { emailConfirmedAt: new Date() } });
  if (updated.modifiedCount === 1)
    await audit({ action: 'auth.email-confirmed', outcome: 'success', actor, target: { type: 'user', id: user.id }, ...ctx });
  await audit({
    action: 'auth.signin',
    outcome: 'success',
    actor,
    target: { type: 'user', id: user.id },
    ...ctx,
    details: { method: 'email-confirmation' },
  });
  return toSessionUser(user);
}
