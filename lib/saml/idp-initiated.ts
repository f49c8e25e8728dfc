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
import { claimOnce } from '../claims';
import type { Config } from '../config';
import { HeldSignInModel } from '../models';
import { openHeldSignIn, SEALED_HANDLE, sealHeldSignIn } from './held-token';
import type { SsoClaims } from '../sso/claims';

/** The redirect is followed at once; a held sign-in left longer is abandoned. */
export const HELD_SIGN_IN_TTL_MS = 5 * 60 * 1000;

type HoldConfig = Pick<Config, 'SECRETS_ENCRYPTION_KEY'>;

export interface HeldSignIn {
  tenantId: string;
  claims: SsoClaims;
  relayState: string;
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
 * into the handle (lib/saml/held-token.ts) it costs no database command here and only its
 * single-use claim when taken; otherwise it is a row.
 */
export async function holdSignIn(config: HoldConfig, held: HeldSignIn, now = new Date()): Promise<string> {
  const expiresAt = new Date(now.getTime() + HELD_SIGN_IN_TTL_MS);
  const sealed = await sealHeldSignIn(config, held, expiresAt);
  if (sealed.length <= MAX_SEALED_HANDLE) return sealed;
  const handle = randomBytes(32).toString('base64url');
  await HeldSignInModel.create({ handle, ...held, expiresAt });
  return handle;
}

/** A held sign-in that is still fresh; `take()` is true for the one caller that gets to finish it. */
export interface PeekedSignIn {
  held: HeldSignIn;
  take(): Promise<boolean>;
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
    // Kept past the expiry, after which the sealed hold is refused anyway.
    const keepForMs = opened.expiresAt.getTime() - now.getTime() + 60_000;
    return { held: opened.held, take: () => claimOnce(`saml-held-sign-in:${opened.id}`, keepForMs) };
  }
  const row = await HeldSignInModel.findOne({ handle, tenantId, expiresAt: { $gt: now } }).lean();
  if (!row) return undefined;
  return {
    held: { tenantId: row.tenantId, claims: row.claims as SsoClaims, relayState: row.relayState },
    take: () => takeHeldRow(tenantId, handle, now),
  };
}

/**
 * Takes a held row for good: true for the one caller whose delete removed it. Not a
 * `findOneAndDelete`, which FerretDB v1 answers from its read, so racing callers can all get
 * the document; a delete's count is the database's own count of rows it removed, so exactly one
 * caller sees 1 (measured by `npm run bench:races`; ARCHITECTURE.md, "Consistency").
 */
async function takeHeldRow(tenantId: string, handle: string, now: Date): Promise<boolean> {
  const { deletedCount } = await HeldSignInModel.deleteOne({ handle, tenantId, expiresAt: { $gt: now } });
  return deletedCount === 1;
}
