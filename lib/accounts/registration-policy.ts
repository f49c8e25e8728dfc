import { emailDomain, tenantForEmailDomain } from '../sso/domains';

/**
 * Whether a standard self-registration may be created for this email, asked before anything
 * is written (open `/register` and registration through a standard invite link). An email
 * in a domain nominated by a live tenant is refused: those people sign in with their
 * organisation's Entra ID, so they get a pointer to that tenant's SSO instead of a password.
 */
export type RegistrationDecision = { allowed: true } | { allowed: false; reason: string; ssoUrl?: string };

export async function isRegistrationAllowed(email: string): Promise<RegistrationDecision> {
  const tenant = await tenantForEmailDomain(email);
  if (!tenant) return { allowed: true };
  const domain = emailDomain(email);
  return {
    allowed: false,
    reason: `${domain} addresses belong to ${tenant.name}, which signs in with Microsoft Entra ID, so they cannot get an Entrada password. Sign in with your organisation account instead: your Entrada account is created on your first sign-in.`,
    ssoUrl: `/saml/${tenant.tenantId}/login`,
  };
}
