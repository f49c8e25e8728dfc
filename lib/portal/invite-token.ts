import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A portal invitation link's token: `<invite ID>.<generation>.<mac>`, the MAC an HMAC-SHA256
 * with SESSION_SECRET. Nothing secret is stored, so a retried email activity can mail the same
 * link again, and a re-issue (a new generation) voids the old one.
 */
const mac = (secret: string, id: string, generation: number) =>
  createHmac('sha256', secret).update(`entrada-portal-invite|${id}|${generation}`).digest('base64url');

export const signInviteToken = (secret: string, id: string, generation: number) => `${id}.${generation}.${mac(secret, id, generation)}`;

/** The invite the token was issued for, or undefined if it is not one of ours. */
export function verifyInviteToken(secret: string, token: unknown): { id: string; generation: number } | undefined {
  if (typeof token !== 'string' || token.length > 200) return undefined;
  const [id, gen, given, ...rest] = token.split('.');
  const generation = Number(gen);
  if (!/^[0-9a-f]{24}$/.test(id ?? '') || !Number.isInteger(generation) || !given || rest.length) return undefined;
  const expected = Buffer.from(mac(secret, id, generation));
  const received = Buffer.from(given);
  return expected.length === received.length && timingSafeEqual(expected, received) ? { id, generation } : undefined;
}
