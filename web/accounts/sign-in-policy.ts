/**
 * Home-realm discovery hook, consulted before any password check (`POST /signin`,
 * `POST /api/auth/signin`): when it returns a URL, the person is sent there to sign in with
 * their organisation's SSO instead (password ignored).
 *
 * Returns undefined for now. The SSO engineer fills it: an email in a nominated domain of a
 * live tenant → that tenant's SSO start URL (e.g. `/sso/<tenantId>?login_hint=<email>`).
 */
export async function ssoRedirectFor(email: string): Promise<string | undefined> {
  void email;
  return undefined;
}
