import { audit } from '../audit';
import { forbidden } from '../errors';
import { UserModel } from '../models';
import { hashPassword } from '../passwords';
import type { AccountDeps, RequestContext } from './context';
import { sendConfirmation } from './confirmation';
import { mailWindow, MINUTE, registrationAttemptEmail } from './emails';
import { isRegistrationAllowed } from './registration-policy';
import type { RegistrationInput } from './validation';

/**
 * Standard self-registration. Whatever happens to the email (new, unconfirmed, taken), the
 * person is told the same thing — "check your inbox" — and the inbox gets the right email:
 * nobody learns from this form whether an address has an account. Only the domain policy
 * refuses (403 `registration_refused`, with the SSO address when there is one).
 */
export async function register(input: RegistrationInput, ctx: RequestContext, deps: AccountDeps): Promise<void> {
  const actor = { kind: 'anonymous' as const, email: input.email };
  const policy = await isRegistrationAllowed(input.email);
  if (!policy.allowed) {
    await audit({ action: 'auth.register', outcome: 'denied', actor, ...ctx, details: { reason: 'policy', message: policy.reason } });
    throw forbidden(policy.reason, { reason: 'registration_refused', details: policy.ssoUrl ? { ssoUrl: policy.ssoUrl } : undefined });
  }

  const passwordHash = await hashPassword(input.password);
  const created = await UserModel.create({ email: input.email, kind: 'standard', displayName: input.displayName, passwordHash }).catch(
    (err) => {
      if (err?.code === 11000) return undefined;
      throw err;
    },
  );
  if (created) {
    await audit({
      action: 'auth.register',
      outcome: 'success',
      actor: { ...actor, userId: created.id },
      target: { type: 'user', id: created.id },
      ...ctx,
    });
    await sendConfirmation(created, 'registered', deps);
    return;
  }

  // The address is taken. An unconfirmed standard account is restarted with this password
  // (earlier links die with the old fingerprint): the mailbox owner can always take over a
  // registration someone else started, which they could not confirm (confirming needs that
  // registration's password, see confirmation.ts).
  const restarted = await UserModel.findOneAndUpdate(
    { email: input.email, kind: 'standard', status: 'active', emailConfirmedAt: null },
    { $set: { passwordHash, displayName: input.displayName } },
    { returnDocument: 'after' },
  );
  if (restarted) {
    await audit({
      action: 'auth.register',
      outcome: 'success',
      actor: { ...actor, userId: restarted.id },
      target: { type: 'user', id: restarted.id },
      ...ctx,
      details: { restartedUnconfirmed: true },
    });
    await sendConfirmation(restarted, 'registered', deps);
    return;
  }
  const existing = await UserModel.findOne({ email: input.email }).lean();
  await audit({
    action: 'auth.register',
    outcome: 'failure',
    actor,
    target: existing ? { type: 'user', id: String(existing._id) } : undefined,
    ...ctx,
    details: { reason: 'email-taken' },
  });
  if (existing) {
    const url = (path: string) => `${deps.config.PUBLIC_BASE_URL}${path}`;
    const body = registrationAttemptEmail(url(`/signin?email=${encodeURIComponent(input.email)}`), url('/password/forgot'));
    await deps.mailer.send({
      key: `registration-attempt:${existing._id}:${mailWindow(60 * MINUTE)}`,
      to: [input.email],
      template: 'registration-attempt',
      ...body,
    });
  }
}

/** "Resend the confirmation email": answered the same way whether or not it applied. */
export async function resendConfirmation(email: string, ctx: RequestContext, deps: AccountDeps): Promise<void> {
  const user = await UserModel.findOne({ email, kind: 'standard', status: 'active', emailConfirmedAt: null });
  await audit({
    action: 'auth.confirmation-resent',
    outcome: user ? 'success' : 'failure',
    actor: { kind: 'anonymous', email },
    target: user ? { type: 'user', id: user.id } : undefined,
    ...ctx,
    details: user ? undefined : { reason: 'no-unconfirmed-account' },
  });
  if (user) await sendConfirmation(user, 'resend', deps);
}
