import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { FailureType } from '../contracts/failures';
import { Refusal } from '../contracts/refusal';

/**
 * Emailed links carry an HMAC-signed claim, so nothing needs storing: `<payload>.<mac>`.
 * Each link is bound to a version the user document holds, which is how it is spent:
 * - confirm-email: bound to a fingerprint of the email and current password hash, so a
 *   re-registration of an unconfirmed address (new password) voids links mailed earlier;
 * - password-reset: bound to `resetVersion`; using one link bumps it and voids the others.
 */
export type LinkPurpose = 'confirm-email' | 'password-reset';

export const LINK_TTL_MS: Record<LinkPurpose, number> = {
  'confirm-email': 3 * 24 * 60 * 60 * 1000,
  'password-reset': 60 * 60 * 1000,
};

interface Claims {
  p: LinkPurpose;
  u: string;
  v: string;
  e: number;
}

const key = (secret: string) => createHmac('sha256', secret).update('entrada/email-links/v1').digest();
const mac = (secret: string, payload: string) => createHmac('sha256', key(secret)).update(payload).digest('base64url');

export function signLink(secret: string, purpose: LinkPurpose, userId: string, version: string, now = Date.now()): string {
  const payload = Buffer.from(
    JSON.stringify({ p: purpose, u: userId, v: version, e: now + LINK_TTL_MS[purpose] } satisfies Claims),
  ).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

export type LinkCheck = { ok: true; userId: string; version: string } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export function verifyLink(secret: string, purpose: LinkPurpose, token: string, now = Date.now()): LinkCheck {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad-signature' };
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.p !== purpose) return { ok: false, reason: 'bad-signature' };
  if (!(claims.e > now)) return { ok: false, reason: 'expired' };
  return { ok: true, userId: claims.u, version: claims.v };
}

/** The confirm-email version: changes whenever the email or the password hash changes. */
export const registrationFingerprint = (email: string, passwordHash: string | null | undefined) =>
  createHash('sha256')
    .update(`${email}\n${passwordHash ?? ''}`)
    .digest('base64url')
    .slice(0, 22);

/** The refusal of a confirmation or reset link that cannot be used (400 `link_invalid`). */
export const invalidLink = (message: string) => new Refusal(FailureType.InvalidInput, message, { reason: 'link_invalid' });
