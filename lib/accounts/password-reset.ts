import { isValidObjectId } from 'mongoose';
import { claimOnce } from '../claims';
import { FailureType } from '../contracts/failures';
import { Refusal } from '../contracts/refusal';
import { audit } from '../audit';
import type { Config } from '../config';
import { UserModel } from '../models';
import { hashPassword, passwordProblem } from '../passwords';
import type { AccountDeps, RequestContext } from './context';
import { mailWindow, MINUTE, passwordChangedEmail, resetEmail, resetForSsoEmail } from './emails';
import { invalidLink, signLink, verifyLink } from './link-tokens';

/**
 * Password reset by emailed link. A link is bound to the user's `resetVersion`: completing a
 * reset bumps it (spending this link and every other outstanding one) and bumps
 * `sessionVersion` (signing every session out), in one atomic update of the user.
 */

/** A one-time password-set link (also printed by `cli staff:create`). Valid 1 hour. */
export function passwordResetLink(
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'SESSION_SECRET'>,
  user: { id: string; resetVersion: number },
): string {
  const token = signLink(config.SESSION_SECRET, 'password-reset', user.id, String(user.resetVersion));
  return `${config.PUBLIC_BASE_URL}/password/reset?token=${token}`;
}

/** Answered the same way whether or not the email has an account. */
export async function requestPasswordReset(email: string, ctx: RequestContext, deps: AccountDeps): Promise<void> {
  const user = await UserModel.findOne({ email, status: 'active' });
  await audit({
    action: 'auth.password-reset.requested',
    outcome: user?.kind === 'standard' ? 'success' : 'failure',
    actor: { kind: 'anonymous', email },
    target: user ? { type: 'user', id: user.id } : undefined,
    ...ctx,
    details: user?.kind === 'standard' ? undefined : { reason: user ? 'sso-account' : 'unknown-email' },
  });
  if (!user) return;
  const body =
    user.kind === 'standard' ? resetEmail(passwordResetLink(deps.config, user)) : resetForSsoEmail(`${deps.config.PUBLIC_BASE_URL}/signin`);
  await deps.mailer.send({
    key: `password-reset:${user.id}:${user.resetVersion}:${mailWindow(MINUTE)}`,
    to: [user.email],
    template: 'password-reset',
    ...body,
  });
}

type ResetLink =
  { ok: true; userId: string; email: string; version: number } | { ok: false; reason: string; message: string; userId?: string };

/** What a reset link is for. Only the link itself can make it invalid: a database failure is not "invalid". */
async function readResetLink(token: string, deps: AccountDeps): Promise<ResetLink> {
  const check = verifyLink(deps.config.SESSION_SECRET, 'password-reset', token);
  if (!check.ok || !isValidObjectId(check.userId)) {
    const reason = check.ok ? 'malformed' : check.reason;
    return {
      ok: false,
      reason,
      message:
        reason === 'expired' ? 'This reset link has expired. Ask for a new one.' : 'This reset link is not valid. Ask for a new one.',
    };
  }
  const user = await UserModel.findOne({ _id: check.userId, kind: 'standard', status: 'active' }).lean();
  if (!user || String(user.resetVersion) !== check.version) {
    return {
      ok: false,
      reason: user ? 'already-used' : 'unknown-user',
      userId: check.userId,
      message: 'This reset link was already used or replaced. Ask for a new one.',
    };
  }
  return { ok: true, userId: String(user._id), email: user.email, version: user.resetVersion };
}

/** Whether a reset link can still be used (shown before the new-password form); refused with 400 `link_invalid`. */
export async function checkResetLink(token: string, deps: AccountDeps): Promise<{ email: string }> {
  const link = await readResetLink(token, deps);
  if (!link.ok) throw invalidLink(link.message);
  return { email: link.email };
}

/** Refused with 400 `link_invalid` or `weak_password`. */
export async function completePasswordReset(
  token: string,
  password: string,
  ctx: RequestContext,
  deps: AccountDeps,
): Promise<{ email: string }> {
  const link = await readResetLink(token, deps);
  if (!link.ok) {
    const target = link.userId ? { type: 'user', id: link.userId } : undefined;
    await audit({
      action: 'auth.password-reset.completed',
      outcome: 'failure',
      actor: { kind: 'anonymous' },
      target,
      ...ctx,
      details: { reason: link.reason },
    });
    throw invalidLink(link.message);
  }
  const problem = passwordProblem(password, link.email);
  if (problem) throw new Refusal(FailureType.InvalidInput, problem, { reason: 'weak_password' });

  const passwordHash = await hashPassword(password);
  // The claim makes the link single-use even against two concurrent posts (lib/claims.ts); the
  // version in the filter refuses a link that another reset replaced meanwhile.
  // Proving control of the mailbox also confirms it ($min keeps an earlier confirmation).
  const updated =
    (await claimOnce(`password-reset:${link.userId}:${link.version}`)) &&
    (await UserModel.findOneAndUpdate(
      { _id: link.userId, kind: 'standard', status: 'active', resetVersion: link.version },
      { $set: { passwordHash }, $inc: { resetVersion: 1, sessionVersion: 1 }, $min: { emailConfirmedAt: new Date() } },
      { returnDocument: 'after' },
    ));
  const actor = { kind: 'user' as const, userId: link.userId, email: link.email };
  if (!updated) {
    await audit({
      action: 'auth.password-reset.completed',
      outcome: 'failure',
      actor,
      target: { type: 'user', id: link.userId },
      ...ctx,
      details: { reason: 'already-used' },
    });
    throw invalidLink('This reset link was already used or replaced. Ask for a new one.');
  }
  await audit({
    action: 'auth.password-reset.completed',
    outcome: 'success',
    actor,
    target: { type: 'user', id: link.userId },
    tenantId: updated.tenantId ?? undefined,
    ...ctx,
    details: { sessionsRevoked: true },
  });
  const body = passwordChangedEmail(`${deps.config.PUBLIC_BASE_URL}/password/forgot`);
  await deps.mailer.send({
    key: `password-changed:${updated.id}:${updated.resetVersion}`,
    to: [updated.email],
    template: 'password-changed',
    ...body,
  });
  return { email: updated.email };
}
