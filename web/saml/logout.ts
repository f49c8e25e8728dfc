import type { Request } from 'express';
import type { Profile } from '@node-saml/node-saml';
import { audit } from '../../lib/audit';
import { rejectionFromNodeSaml } from '../../lib/saml/checks/node-saml-errors';
import { SamlRejection } from '../../lib/saml/rejection';
import { loadTenantSaml } from '../../lib/saml/tenant-config';
import { requestContext } from '../http/request-context';
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
  const user = {
    issuer: tenant.options.issuer,
    nameID: sso.nameId,
    nameIDFormat: sso.nameIdFormat ?? '',
    sessionIndex: sso.sessionIndex,
  } as Profile;
  return samlFor(deps.config, { ...tenant, options: tenant.options }).getLogoutUrlAsync(user, '/', {});
}

/**
 * Entra's LogoutResponse coming back to `/saml/<tid>/slo`: it must be signed by the tenant's
 * certificate (node-saml accepts unsigned ones; we do not) and, when it names one, answer a
 * LogoutRequest we issued. Returns whether it did: the local session is already gone either
 * way. One that is not (unsigned, forged, for a tenant without SSO) is audited as
 * `saml.logout.rejected` with the reason, like a refused sign-in.
 */
export async function acceptLogoutResponse(deps: Pick<WebDeps, 'config'>, req: Request, tenantId: string): Promise<boolean> {
  if (typeof req.query.SAMLResponse !== 'string') return false; // the page opened without an answer from Entra
  const tenant = await loadTenantSaml(deps.config, tenantId);
  const refuse = async (rejection: SamlRejection) => {
    await auditLogoutRejection(req, tenantId, rejection);
    return false;
  };
  if (!tenant?.options)
    return refuse(new SamlRejection('tenant-not-enabled', 'No SSO settings for this tenant', 'a connected tenant', tenantId));
  if (typeof req.query.Signature !== 'string')
    return refuse(new SamlRejection('unsigned', 'The LogoutResponse is not signed', 'a Signature parameter', null));
  try {
    const query = req.originalUrl.slice(req.originalUrl.indexOf('?') + 1);
    const { loggedOut } = await samlFor(deps.config, { ...tenant, options: tenant.options }).validateRedirectAsync(req.query, query);
    return loggedOut;
  } catch (err) {
    return refuse(rejectionFromNodeSaml(err, { signed: true }));
  }
}

export function auditLogoutRejection(req: Request, tenantId: string, rejection: SamlRejection): Promise<string> {
  return audit({
    action: 'saml.logout.rejected',
    outcome: 'denied',
    actor: { kind: 'anonymous' },
    target: { type: 'tenant', id: tenantId },
    tenantId,
    ...requestContext(req),
    details: rejection.auditDetails(),
  });
}
