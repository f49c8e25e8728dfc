import { tenantForEmailDomain } from '../sso/domains';
import { safeLocalPath } from '../safe-path';

/**
 * Home-realm discovery, consulted before any password check (`POST /signin`,
 * `POST /api/auth/signin`): an email in a nominated domain of a live tenant signs in with
 * that organisation's SSO, never with a password (which is ignored).
 *
 * Someone who typed a password (a standard account not yet migrated, or habit) first sees a
 * page explaining that the organisation now uses single sign-on and that a password account
 * is upgraded, with everything in it, at the first SSO sign-in. Someone who left the password
 * empty goes straight to the organisation's sign-in.
 */
export async function ssoRedirectFor(email: string, opts: { triedPassword?: boolean; next?: string } = {}): Promise<string | undefined> {
  const tenant = await tenantForEmailDomain(email);
  if (!tenant) return undefined;
  const relayState = encodeURIComponent(safeLocalPath(opts.next));
  return opts.triedPassword
    ? `/saml/${tenant.tenantId}/start?relayState=${relayState}`
    : `/saml/${tenant.tenantId}/login?relayState=${relayState}`;
}
