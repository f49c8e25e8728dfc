import type { Request } from 'express';
import type { Profile } from '@node-saml/node-saml';
import { loadTenantSaml } from '../../lib/saml/tenant-config';
import type { WebDeps } from '../deps';
import { samlFor } from './strategy';

/**
 * SAML single logout, SP-initiated (HTTP-Redirect): where the signed-in user came by SSO and
 * the tenant has a logout URL, the URL that ends the Entra session too (a LogoutRequest with
 * the NameID and SessionIndex of the sign-in). Call before the local session is destroyed.
 */
export async function singleLogoutUrl(deps: Pick<WebDeps, 'config'>, req: Request): Promise<string | undefined> {
  const sso = req.session?.sso;
  if (!sso || !req.user) return undefined;
  const tenant = await loadTenantSaml(deps.config, sso.tenantId);
  if (!tenant?.options || !tenant.sloUrl) return undefined;
  const user = { issuer: tenant.options.issuer, nameID: sso.nameId, nameIDFormat: sso.nameIdFormat ?? '', sessionIndex: sso.sessionIndex } as Profile;
  return samlFor({ ...tenant, options: tenant.options }).getLogoutUrlAsync(user, '/', {});
}

/**
 * Entra's LogoutResponse coming back to `/saml/<tid>/slo`: it must be signed by the tenant's
 * certificate (node-saml accepts unsigned ones; we do not) and, when it names one, answer a
 * LogoutRequest we issued. Returns whether it did: the local session is already gone either way.
 */
export async function acceptLogoutResponse(deps: Pick<WebDeps, 'config'>, req: Request, tenantId: string): Promise<boolean> {
  const tenant = await loadTenantSaml(deps.config, tenantId);
  if (!tenant?.options || typeof req.query.SAMLResponse !== 'string' || typeof req.query.Signature !== 'string') return false;
  try {
    const query = req.originalUrl.slice(req.originalUrl.indexOf('?') + 1);
    const { loggedOut } = await samlFor({ ...tenant, options: tenant.options }).validateRedirectAsync(req.query, query);
    return loggedOut;
  } catch {
    return false;
  }
}
