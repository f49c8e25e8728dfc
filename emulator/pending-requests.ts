/**
 * Sign-in requests waiting for the user to pick an account.
 *
 * The sign-in form carries only an opaque random handle; ACS URL, audience, InResponseTo and
 * RelayState stay server-side. So a user (or a test) posting the form cannot redirect the
 * SAMLResponse to another ACS or change the audience. Entries expire like Entra's sign-in
 * sessions and the map is bounded so a crawler cannot grow it without limit.
 */
import { randomBytes } from 'node:crypto';

const TTL_MS = 30 * 60_000;
const MAX_ENTRIES = 10_000;

export interface PendingSignIn {
  tenantId: string;
  audience: string; // SP entity ID (AuthnRequest Issuer)
  acsUrl: string;
  requestId?: string; // becomes InResponseTo
  relayState?: string;
}

export class PendingSignIns {
  private readonly entries = new Map<string, PendingSignIn & { expiresAt: number }>();

  put(signIn: PendingSignIn, now = Date.now()): string {
    for (const [handle, entry] of this.entries) {
      if (entry.expiresAt > now && this.entries.size < MAX_ENTRIES) break; // Map keeps insertion order: oldest first
      this.entries.delete(handle);
    }
    const handle = randomBytes(24).toString('base64url');
    this.entries.set(handle, { ...signIn, expiresAt: now + TTL_MS });
    return handle;
  }

  /** The request behind a handle, if it exists, has not expired and belongs to this tenant. */
  get(handle: unknown, tenantId: string, now = Date.now()): PendingSignIn | undefined {
    if (typeof handle !== 'string') return undefined;
    const entry = this.entries.get(handle);
    if (!entry || entry.expiresAt <= now || entry.tenantId !== tenantId) return undefined;
    const { expiresAt: _expiresAt, ...signIn } = entry;
    return signIn;
  }
}
