/**
 * IdP-initiated sign-in (from Entra's My Apps), between the ACS and the page that finishes it.
 *
 * The ACS is a cross-site POST, so the session cookie (SameSite=Lax) does not come with it and
 * the ACS cannot know who, if anyone, is signed in in this browser. An unsolicited assertion
 * is exactly what login CSRF posts: someone else's valid assertion, sent from another site into
 * a signed-in user's browser. So the ACS only holds the verified sign-in here and redirects to
 * a same-site page (a top-level GET: the cookie comes), which signs in at once if nobody else is
 * signed in, and otherwise asks first (web/saml/idp-initiated.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { HeldSignInModel } from '../models';
import { claimUnsolicitedOnce, type OnceClaim } from './checks/replay';
import { openHeldSignIn, SEALED_HANDLE, sealHeldSignIn } from './held-token';
import { ACCEPTED_CLOCK_SKEW_MS } from './sp-options';
import type { SsoClaims } from '../sso/claims';

/** The redirect is followed at once; a held sign-in left longer is abandoned. */
export const HELD_SIGN_IN_TTL_MS = 5 * 60 * 1000;

type HoldConfig = Pick<Config, 'SECRETS_ENCRYPTION_KEY'>;

export interface HeldSignIn {
  tenantId: string;
  claims: SsoClaims;
  relayState: string;
  /** The assertion's single-use claim: whoever wins it finishes the sign-in (checks/replay.ts). */
  once: OnceClaim;
}

export const heldSignInPath = (tenantId: string, handle: string) => `/saml/${tenantId}/idp/${handle}`;
const ROW_HANDLE = /^[A-Za-z0-9_-]{43}$/;
/**
 * A sealed hold travels in the address when it stays this short (most sign-ins: ~1 KB), well
 * under the 8 KB request line of common proxies; a longer one (a user in many groups) is a row.
 */
const MAX_SEALED_HANDLE = 2048;

/** Whether `handle` has the shape of one we issue (anything else is not looked up). */
export const isHeldSignInHandle = (handle: string) =>
  ROW_HANDLE.test(handle) || (handle.length <= MAX_SEALED_HANDLE && SEALED_HANDLE.test(handle));

/**
 * Holds a verified sign-in; the handle names it in the address of the same-site step. Sealed
 * into the handle (lib/saml/held-token.ts) it costs no database command here; otherwise it is a
 * row. Either way the assertion's claim is kept past the hold's own expiry, so no hold of this
 * assertion can outlive the key that makes it single use.
 */
export async function holdSignIn(config: HoldConfig, held: HeldSignIn, now = new Date()): Promise<string> {
  const expiresAt = new Date(now.getTime() + HELD_SIGN_IN_TTL_MS);
  const outlastsHold = new Date(expiresAt.getTime() + ACCEPTED_CLOCK_SKEW_MS);
  const once = { ...held.once, expiresAt: held.once.expiresAt > outlastsHold ? held.once.expiresAt : outlastsHold };
  const kept = { ...held, once };
  const sealed = await sealHeldSignIn(config, kept, expiresAt);
  if (sealed.length <= MAX_SEALED_HANDLE) return sealed;
  const handle = randomBytes(32).toString('base64url');
  await HeldSignInModel.create({ handle, ...kept, expiresAt });
  return handle;
}

/** A held sign-in that is still fresh; `take()` wins its claim, or throws `assertion-replayed`. */
export interface PeekedSignIn {
  held: HeldSignIn;
  take(): Promise<void>;
}

/** The held sign-in, if it is this tenant's and still fresh; it stays held until taken. */
export async function peekHeldSignIn(
  config: HoldConfig,
  tenantId: string,
  handle: string,
  now = new Date(),
): Promise<PeekedSignIn | undefined> {
  if (!ROW_HANDLE.test(handle)) {
    const opened = await openHeldSignIn(config, tenantId, handle);
    if (!opened || opened.expiresAt <= now) return undefined;
    return { held: opened.held, take: () => claimUnsolicitedOnce(opened.held.once, opened.held.claims.assertionId ?? '') };
  }
  const row = await HeldSignInModel.findOne({ handle, tenantId, expiresAt: { $gt: now } }).lean();
  if (!row?.once) return undefined; // no claim key: held before rows carried one (minutes at most)
  const held: HeldSignIn = {
    tenantId: row.tenantId,
    claims: row.claims as SsoClaims,
    relayState: row.relayState,
    once: { key: row.once.key, expiresAt: row.once.expiresAt },
  };
  // A spent row stays until the expiry sweep (lib/expiry.ts), refused by the claim meanwhile, as a
  // spent sealed hold is.
  return { held, take: () => claimUnsolicitedOnce(held.once, held.claims.assertionId ?? '') };
}
