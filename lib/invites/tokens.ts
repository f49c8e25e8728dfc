import { randomBytes } from 'node:crypto';
import { hashToken } from '../secret-tokens';

/**
 * Invite link tokens: 32 random bytes (256 bits, unguessable), base64url in the link. Only
 * their SHA-256 is stored (`Invite.tokenHash`), so a database reader cannot use a pending
 * invite; a re-send replaces the hash, which kills the link mailed before.
 */
export function newInviteToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

/** 32 bytes are 43 base64url characters; anything else was cut off or tampered with. */
export const isWellFormedToken = (token: unknown): token is string => typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);

export { hashToken };
