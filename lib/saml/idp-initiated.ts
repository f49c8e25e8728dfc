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
import { HeldSignInModel } from '../models';
import type { SsoClaims } from '../sso/claims';

/** The redirect is followed at once; a held sign-in left longer is abandoned. */
export const HELD_SIGN_IN_TTL_MS = 5 * 60 * 1000;

export interface HeldSignIn {
  tenantId: string;
  claims: SsoClaims;
  relayState: string;
}

export const heldSignInPath = (tenantId: string, handle: string) => `/saml/${tenantId}/idp/${handle}`;
export const HANDLE = /^[A-Za-z0-9_-]{43}$/;

export async function holdSignIn(held: HeldSignIn, now = new Date()): Promise<string> {
  const handle = randomBytes(32).toString('base64url');
  await HeldSignInModel.create({ handle, ...held, expiresAt: new Date(now.getTime() + HELD_SIGN_IN_TTL_MS) });
  return handle;
}

/** The held sign-in, if it is this tenant's and still fresh; it stays held. */
export async function peekHeldSignIn(tenantId: string, handle: string, now = new Date()): Promise<HeldSignIn | undefined> {
  const row = await HeldSignInModel.findOne({ handle, tenantId, expiresAt: { $gt: now } }).lean();
  return row ? { tenantId: row.tenantId, claims: row.claims as SsoClaims, relayState: row.relayState } : undefined;
}

/**
 * Takes the held sign-in for good: true for the one caller whose delete removed it. Not a
 * `findOneAndDelete`, which FerretDB v1 answers from its read, so racing callers can all get
 * the document; a delete's count is the database's own count of rows it removed, so exactly one
 * caller sees 1 (measured by `npm run bench:races`; ARCHITECTURE.md, "Consistency").
 */
export async function takeHeldSignIn(tenantId: string, handle: string, now = new Date()): Promise<boolean> {
  const { deletedCount } = await HeldSignInModel.deleteOne({ handle, tenantId, expiresAt: { $gt: now } });
  return deletedCount === 1;
}
