import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { onboardingWorkflowId } from '../contracts/shared';

/**
 * The `state` carried through Entra's admin-consent redirect: `<tenantId>.<nonce>.<mac>`.
 * The MAC (HMAC-SHA256 with SESSION_SECRET over the onboarding workflow ID and nonce) makes it
 * unguessable and bound to that workflow; the nonce is stored on the Tenant so the callback can
 * use it exactly once and a re-issued link supersedes the old one.
 */
const mac = (secret: string, tenantId: string, nonce: string) =>
  createHmac('sha256', secret)
    .update(`entrada-admin-consent|${onboardingWorkflowId(tenantId)}|${nonce}`)
    .digest('base64url');

export const newConsentNonce = () => randomBytes(18).toString('base64url');

export function signConsentState(secret: string, tenantId: string, nonce: string): string {
  return `${tenantId.toLowerCase()}.${nonce}.${mac(secret, tenantId.toLowerCase(), nonce)}`;
}

/** The tenant and nonce the state was issued for, or undefined if it is not one of ours. */
export function verifyConsentState(secret: string, state: unknown): { tenantId: string; nonce: string } | undefined {
  if (typeof state !== 'string' || state.length > 200) return undefined;
  const [tenantId, nonce, given, ...rest] = state.split('.');
  if (!tenantId || !nonce || !given || rest.length) return undefined;
  const expected = Buffer.from(mac(secret, tenantId, nonce));
  const received = Buffer.from(given);
  return expected.length === received.length && timingSafeEqual(expected, received) ? { tenantId, nonce } : undefined;
}
