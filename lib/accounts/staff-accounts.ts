import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { isValidObjectId } from 'mongoose';
import { audit } from '../audit';
import type { Config } from '../config';
import { badRequest, conflict, notFound } from '../errors';
import { StaffTokenModel, UserModel } from '../models';
import { hashPassword, passwordProblem } from '../passwords';
import { hashToken } from '../secret-tokens';
import { passwordResetLink } from './password-reset';

/** Staff accounts and their API tokens, managed from the CLI: audited as the system, naming the OS user who ran it. */
const operator = { kind: 'system' as const };
const via = () => ({ via: 'cli', osUser: userInfo().username });

export interface StaffGrant {
  userId: string;
  email: string;
  created: boolean;
  kind: 'standard' | 'sso';
  /** A one-time password-set link, when no password was given for a standard account. */
  passwordLink?: string;
}

/** Creates a confirmed standard staff user, or makes an existing active user staff. */
export async function grantStaff(
  email: string,
  opts: { password?: string; displayName?: string },
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'SESSION_SECRET'>,
): Promise<StaffGrant> {
  const existing = await UserModel.findOne({ email }).lean();
  if (existing && existing.status !== 'active') throw conflict(`${email} is ${existing.status}; only an active account can become staff.`);
  if (existing?.kind === 'sso' && opts.password)
    throw badRequest(`${email} signs in with single sign-on and cannot have a password. Leave out --password.`);
  const problem = opts.password ? passwordProblem(opts.password, email) : undefined;
  if (problem) throw badRequest(`Password refused: ${problem}`);

  // A new password also spends outstanding reset links and ends the account's sessions.
  const passwordUpdate = opts.password
    ? { $set: { isStaff: true, passwordHash: await hashPassword(opts.password) }, $inc: { sessionVersion: 1, resetVersion: 1 } }
    : { $set: { isStaff: true } };
  const res = await UserModel.findOneAndUpdate(
    { email, status: 'active' },
    {
      ...passwordUpdate,
      $setOnInsert: { email, kind: 'standard', displayName: opts.displayName ?? email.split('@')[0], emailConfirmedAt: new Date() },
    },
    { upsert: true, returnDocument: 'after', includeResultMetadata: true },
  );
  const user = res.value!;
  const created = !res.lastErrorObject?.updatedExisting;
  await audit({
    action: 'staff.granted',
    outcome: 'success',
    actor: operator,
    target: { type: 'user', id: String(user._id) },
    details: { email, created, passwordSet: Boolean(opts.password), ...via() },
  });
  const passwordLink =
    user.kind === 'standard' && !opts.password
      ? passwordResetLink(config, { id: String(user._id), resetVersion: user.resetVersion })
      : undefined;
  return { userId: String(user._id), email, created, kind: user.kind, passwordLink };
}

/** A new bearer token for an active staff user; only its hash is stored, so it is shown once. */
export async function issueStaffToken(email: string, label?: string): Promise<{ id: string; token: string }> {
  const user = await UserModel.findOne({ email, isStaff: true, status: 'active' }).lean();
  if (!user) throw notFound(`No active staff user ${email}. Create one first: npm run cli -- staff:create ${email}`);
  const token = `est_${randomBytes(32).toString('base64url')}`;
  const doc = await StaffTokenModel.create({ tokenHash: hashToken(token), userId: user._id, label });
  await audit({
    action: 'staff.token-issued',
    outcome: 'success',
    actor: operator,
    target: { type: 'staff-token', id: doc.id },
    details: { email, label, ...via() },
  });
  return { id: doc.id, token };
}

/** Revokes one token (by ID) or every active token of a staff user (by email). */
export async function revokeStaffTokens(by: { id: string } | { email: string }): Promise<number> {
  let filter: Record<string, unknown>;
  if ('id' in by) {
    if (!isValidObjectId(by.id)) throw badRequest(`"${by.id}" is not a token ID (staff:token prints it).`);
    filter = { _id: by.id };
  } else {
    const user = await UserModel.findOne({ email: by.email }, { _id: 1 }).lean();
    if (!user) throw notFound(`No user ${by.email}.`);
    filter = { userId: user._id };
  }
  const { modifiedCount } = await StaffTokenModel.updateMany({ ...filter, revokedAt: null }, { $set: { revokedAt: new Date() } });
  if (modifiedCount === 0) throw notFound('No active token matched: nothing was revoked.');
  await audit({
    action: 'staff.token-revoked',
    outcome: 'success',
    actor: operator,
    target: 'id' in by ? { type: 'staff-token', id: by.id } : undefined,
    details: { ...by, revoked: modifiedCount, ...via() },
  });
  return modifiedCount;
}
