import type { Request, Response } from 'express';
import { SAML, type Profile } from '@node-saml/node-saml';
import { audit } from '../../lib/audit';
import { claimOnce } from '../../lib/claims';
import { entraIssuer } from '../../lib/saml/checks/entra';
import { rejectionFromNodeSaml } from '../../lib/saml/checks/node-saml-errors';
import { SamlRejection } from '../../lib/saml/rejection';
import { loadTenantSaml } from '../../lib/saml/tenant-config';
import { endSsoSessions } from '../../lib/sso/end-sessions';
import { requestContext } from '../http/request-context';
import type { WebDeps } from '../deps';
import { html } from '../views/html';
import { page } from '../views/layout';
import { auditLogoutRejection } from './logout';
import { samlFor } from './strategy';

/**
 * Entra-initiated single logout: a LogoutRequest on `/saml/<tid>/slo` by HTTP-Redirect (signed in
 * the query string) or HTTP-POST (enveloped XML signature). It must be signed by the tenancy's
 * certificate (node-saml believes an unsigned redirect; we do not) and issued by its Entra
 * tenant, and its ID is used once (a claim, kept 30 days). The sessions of that NameID (and SessionIndex) end, `saml.logout.idp` is audited, and
 * Entra gets a LogoutResponse signed with the SP key (SAML_SP_SIGNING_KEY), by redirect to its
 * logout URL. One that is refused is audited as `saml.logout.rejected` with the reason.
 */
export async function acceptLogoutRequest(deps: Pick<WebDeps, 'config'>, req: Request, res: Response, tenantId: string): Promise<void> {
  const post = req.method === 'POST';
  const params = (post ? req.body : req.query) as Record<string, unknown>;
  const tenant = await loadTenantSaml(deps.config, tenantId);
  let profile: Profile;
  try {
    if (!tenant?.options) throw new SamlRejection('tenant-not-enabled', 'No SSO settings for this tenant', 'a connected tenant', tenantId);
    const saml = samlFor(deps.config, { ...tenant, options: tenant.options });
    profile = await verified(saml, req, params, post);
    if (profile.issuer !== entraIssuer(tenantId))
      throw new SamlRejection('issuer-mismatch', 'LogoutRequest Issuer does not match', entraIssuer(tenantId), profile.issuer ?? null);
    // Each request ends sessions once: a captured one posted again is refused (and audited).
    if (!profile.ID || !(await claimOnce(`saml-logout-request:${tenantId}:${profile.ID}`)))
      throw new SamlRejection('logout-request-replayed', 'This LogoutRequest was already used', 'an unused request ID', profile.ID ?? null);
  } catch (err) {
    const rejection = rejectionFromNodeSaml(err, { signed: true });
    const reference = await auditLogoutRejection(req, tenantId, rejection);
    res.status(400).type('html').send(refusedPage(reference));
    return;
  }
  const sessionIndexes = profile.sessionIndex ? [profile.sessionIndex] : [];
  const ended = await endSsoSessions(tenantId, profile.nameID, sessionIndexes);
  await audit({
    action: 'saml.logout.idp',
    outcome: 'success',
    actor: { kind: 'anonymous', email: profile.nameID },
    target: { type: 'tenant', id: tenantId },
    tenantId,
    ...requestContext(req),
    details: { nameId: profile.nameID, sessionIndexes, sessionsEnded: ended, binding: post ? 'post' : 'redirect' },
  });
  const relayState = typeof params.RelayState === 'string' ? params.RelayState : '';
  const { SAML_SP_SIGNING_KEY: privateKey } = deps.config;
  if (!privateKey || !tenant!.options!.entryPoint) {
    res.type('html').send(signedOutPage());
    return;
  }
  // Entra's logout URL is its SAML endpoint; the SP key signs only this answer (AuthnRequests stay unsigned).
  const signer = new SAML({ ...tenant!.options!, logoutUrl: tenant!.sloUrl ?? tenant!.options!.entryPoint, privateKey });
  res.redirect(302, await signer.getLogoutResponseUrlAsync(profile, relayState, {}, true));
}

async function verified(saml: SAML, req: Request, params: Record<string, unknown>, post: boolean): Promise<Profile> {
  if (typeof params.SAMLRequest !== 'string') throw new SamlRejection('malformed-xml', 'No SAMLRequest', 'a SAMLRequest', null);
  if (post) {
    const xml = Buffer.from(params.SAMLRequest, 'base64').toString('utf8');
    if (!xml.includes('http://www.w3.org/2000/09/xmldsig#'))
      throw new SamlRejection('unsigned', 'The LogoutRequest is not signed', 'an XML signature', null);
    return (await saml.validatePostRequestAsync({ SAMLRequest: params.SAMLRequest })).profile!;
  }
  if (typeof params.Signature !== 'string')
    throw new SamlRejection('unsigned', 'The LogoutRequest is not signed', 'a Signature parameter', null);
  const query = req.originalUrl.slice(req.originalUrl.indexOf('?') + 1);
  const { profile } = await saml.validateRedirectAsync(params as Record<string, string>, query);
  if (!profile) throw new SamlRejection('malformed-xml', 'Not a LogoutRequest', 'samlp:LogoutRequest', 'LogoutResponse');
  return profile;
}

const signedOutPage = () =>
  page(
    { title: 'Signed out' },
    html`<div class="card" id="signed-out"><h1>You are signed out</h1><p>Your organisation signed you out of Entrada.</p><p><a class="button" href="/signin">Sign in again</a></p></div>`,
  );

const refusedPage = (reference: string) =>
  page(
    { title: 'Sign-out refused' },
    html`<div class="card" id="logout-refused"><h1>Sign-out request refused</h1><p>This sign-out request could not be verified. Reference: <code id="reference">${reference}</code></p></div>`,
  );
