import { createHash } from 'node:crypto';

/**
 * Bearer secrets (staff API tokens, invite links) are stored only as their SHA-256: a
 * database reader cannot use them. Plain SHA-256 suffices because the secrets themselves are
 * 256-bit random values, not passwords.
 */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
