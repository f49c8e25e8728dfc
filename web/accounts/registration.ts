import { audit } from '../../lib/audit';
import { UserModel, type UserDoc } from '../../lib/models';
import { hashPassword } from '../../lib/passwords';
import type { AccountDeps, RequestContext } from './context';
import { confirmEmail, mailWindow, MINUTE, registrationAttemptEmail } from './emails';
import { registrationFingerprint, signLink, verifyLink } from './link-tokens';
import { isRegistrationAllowed } from './registration-policy';
import type { RegistrationInput } from './validation';

/**
 * Standard self-registration. Whatever happens to the email (new, unconfirmed, taken), the
 * person is told the same thing — "check your inbox" — and the inbox gets the right email:
 * nobody learns from this form whether an address has an account.
 */
export type RegistrationResult = { ok: true } | { ok: false; reason: string; ssoUrl?: string };

export async function register(input: RegistrationInput, ctx: RequestContext, deps: AccountDeps): Promise<RegistrationResult> {
  const actor = { kind: 'anonymous' as const, email: input.email };
  const policy = await isRegistrationAllowed(input.email);
  if (!policy.allowed) {
    await audit({ action: 'auth.register', outcome: 'denied', actor, ...ctx, details: { reason: 'policy', message: policy.reason } });
    return { ok: false, reason: policy.reason, ssoUrl: policy.ssoUrl };
  }

  const passwordHash = await hashPassword(input.password);
  const created = await UserModel.create({ email: input.email, kind: 'standard', displayName: input.displayName, passwordHash }).catch((err) => {
    if (err?.code === 11000) return undefined;
    throw err;
  });
  if (created) {
    await audit({ action: 'auth.register', outcome: 'success', actor: { ...actor, userId: created.id }, target: { type: 'user', id: created.id }, ...ctx });
    await sendConfirmation(created, 'registered', deps);
    return { ok: true };
  }

  // The address is taken. An unconfirmed standard account is restarted with this password
  // (its earlier links die with the old fingerprint), so an attacker cannot pre-register a
  // victim's address and wait for the victim to confirm it for them.
  const restarted = await UserModel.findOneAndUpdate(
    { email: input.email, kind: 'standard', status: 'active', emailConfirmedAt: null },
    { $set: { passwordHash, displayName: input.displayName } },
    { returnDocument: 'after' },
  );
  if (restarted) {
    await audit({ action: 'auth.register', outcome: 'success', actor: { ...actor, userId: restarted.id }, target: { type: 'user', id: restarted.id }, ...ctx, details: { restartedUnconfirmed: true } });
    await sendConfirmation(restarted, 'registered', deps);
    return { ok: true };
  }
  const existing = await UserModel.findOne({ email: input.email }).lean();
  await audit({ action: 'auth.register', outcome: 'failure', actor, target: existing ? { type: 'user', id: String(existing._id) } : undefined, ...ctx, details: { reason: 'email-taken' } });
  if (existing) {
    const url = (path: string) => `${deps.config.PUBLIC_BASE_URL}${path}`;
    const body = registrationAttemptEmail(url(`/signin?email=${encodeURIComponent(input.email)}`), url('/password/forgot'));
    await deps.mailer.send({ key: `registration-attempt:${existing._id}:${mailWindow(60 * MINUTE)}`, to: [input.email], template: 'registration-attempt', ...body });
  }
  return { ok: true };
}

/** "Resend the confirmation email": answered the same way whether or not it applied. */
export async function resendConfirmation(email: string, ctx: RequestContext, deps: AccountDeps): Promise<void> {
  const user = await UserModel.findOne({ email, kind: 'standard', status: 'active', emailConfirmedAt: null });
  await audit({ action: 'auth.confirmation-resent', outcome: user ? 'success' : 'failure', actor: { kind: 'anonymous', email }, target: user ? { type: 'user', id: user.id } : undefined, ...ctx, details: user ? undefined : { reason: 'no-unconfirmed-account' } });
  if (user) await sendConfirmation(user, 'resend', deps);
}

/** One email per registration (its fingerprint), and at most one resend a minute. */
async function sendConfirmation(user: UserDoc, occasion: 'registered' | 'resend', deps: AccountDeps): Promise<void> {
  const fingerprint = registrationFingerprint(user.email, user.passwordHash);
  const token = signLink(deps.config.SESSION_SECRET, 'confirm-email', user.id, fingerprint);
  const body = confirmEmail(user.displayName || user.email, `${deps.config.PUBLIC_BASE_URL}/register/confirm?token=${token}`);
  await deps.mailer.send({ key: `confirm-email:${user.id}:${fingerprint}${occasion === 'resend' ? `:resend:${mailWindow(MINUTE)}` : ''}`, to: [user.email], template: 'confirm-email', ...body });
}

export type ConfirmResult = { ok: true; email: string } | { ok: false; message: string };

/** Confirming twice is fine (the second is a no-op); a link from before a re-registration is not. */
export async function confirmRegistration(token: string, ctx: RequestContext, deps: AccountDeps): Promise<ConfirmResult> {
  const check = verifyLink(deps.config.SESSION_SECRET, 'confirm-email', token);
  const user = check.ok ? await UserModel.findOne({ _id: check.userId, kind: 'standard' }).catch(() => null) : null;
  const reason = !check.ok ? check.reason : !user ? 'unknown-user' : registrationFingerprint(user.email, user.passwordHash) !== check.version ? 'superseded' : undefined;
  if (reason || !user) {
    await audit({ action: 'auth.email-confirmed', outcome: 'failure', actor: { kind: 'anonymous' }, target: user ? { type: 'user', id: user.id } : undefined, ...ctx, details: { reason } });
    const message = reason === 'expired' ? 'This confirmation link has expired.' : 'This confirmation link is not valid any more.';
    return { ok: false, message: `${message} Ask for a new one below.` };
  }
  const updated = await UserModel.updateOne({ _id: user._id, emailConfirmedAt: null }, { $set: { emailConfirmedAt: new Date() } });
  if (updated.modifiedCount === 1) {
    await audit({ action: 'auth.email-confirmed', outcome: 'success', actor: { kind: 'user', userId: user.id, email: user.email }, target: { type: 'user', id: user.id }, ...ctx });
  }
  return { ok: true, email: user.email };
}
