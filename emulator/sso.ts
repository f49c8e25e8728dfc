/**
 * SAML SSO endpoint /<tid>/saml2 (Redirect and POST bindings) and the sign-in form behind it.
 *
 * Flow, as with Entra: AuthnRequest → sign-in page → user picked or typed → unknown user gets
 * AADSTS50034 on the same page, a directory user gets an auto-POST page to the ACS carrying a
 * signed SAMLResponse. LogoutRequests on the same URL get a LogoutResponse (see logout.ts).
 */
import express, { type Request, type Response, type Router } from 'express';
import { decodeSamlRequest, parseSamlRequest, type AuthnRequestInfo } from './authn-request';
import { EmulatorError, tenantNotFound, userNotFoundInDirectory } from './errors';
import { logoutRedirectUrl } from './logout';
import { autoPostPage, signedOutPage, signInPage } from './pages';
import type { PendingSignIn, PendingSignIns } from './pending-requests';
import type { TenantStore } from './tenant-store';
import type { IssueSamlResponseInput, IssuedSamlResponse } from './index';
import type { Tenant } from './tenants';
import { isHttpUrl } from './urls';

export type BaseFor = (req: Request) => string;

const MAX_RELAY_STATE = 2048;

function relayStateOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.length > MAX_RELAY_STATE)
    throw new EmulatorError(400, `RelayState is longer than ${MAX_RELAY_STATE} characters`, 'AADSTS75005');
  return value;
}

/** ACS from the request, else the registered reply URL; a registered reply URL is binding. */
function resolveAcs(tenant: Tenant, request: AuthnRequestInfo): string {
  const app = tenant.application(request.issuer);
  const acs = request.acsUrl ?? app?.replyUrl;
  if (!acs || !isHttpUrl(acs) || (app?.replyUrl && request.acsUrl && request.acsUrl !== app.replyUrl)) {
    throw new EmulatorError(
      400,
      `The reply URL specified in the request does not match the reply URLs configured for the application: '${request.issuer}'.`,
      'AADSTS50011',
    );
  }
  return acs;
}

export function ssoRouter(store: TenantStore, pending: PendingSignIns, baseFor: BaseFor): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '256kb' });

  const tenantOf = (req: Request): Tenant => {
    const tid = String(req.params.tid);
    const tenant = store.get(tid);
    if (!tenant) throw tenantNotFound(tid);
    return tenant;
  };
  const loginAction = (req: Request, tenant: Tenant) => `${baseFor(req)}/${encodeURIComponent(tenant.tenantId)}/saml2/login`;

  const renderSignIn = (
    req: Request,
    res: Response,
    tenant: Tenant,
    signIn: PendingSignIn,
    handle: string,
    error?: string,
    email?: string,
  ) => {
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        signInPage({
          tenantName: tenant.name,
          tenantId: tenant.tenantId,
          audience: signIn.audience,
          users: tenant.users(),
          action: loginAction(req, tenant),
          handle,
          ...(error ? { error } : {}),
          ...(email ? { email } : {}),
        }),
      );
  };

  const handleRequest = (binding: 'redirect' | 'post') => (req: Request, res: Response) => {
    const tenant = tenantOf(req);
    const params = (binding === 'redirect' ? req.query : (req.body ?? {})) as Record<string, unknown>;
    // An SP's answer to a logout Entra started: the emulator keeps no session, so it only says so.
    if (params.SAMLRequest === undefined && typeof params.SAMLResponse === 'string') return res.type('html').send(signedOutPage());
    const request = parseSamlRequest(decodeSamlRequest(params.SAMLRequest, binding));
    const relayState = relayStateOf(params.RelayState);

    if (request.kind === 'logout') {
      const logoutUrl = tenant.application(request.issuer)?.logoutUrl;
      if (logoutUrl && isHttpUrl(logoutUrl)) return res.redirect(302, logoutRedirectUrl(tenant, request, logoutUrl, relayState));
      return res.type('html').send(signedOutPage());
    }

    const signIn: PendingSignIn = {
      tenantId: tenant.tenantId,
      audience: request.issuer,
      acsUrl: resolveAcs(tenant, request),
      requestId: request.id,
      ...(relayState !== undefined ? { relayState } : {}),
    };
    renderSignIn(req, res, tenant, signIn, pending.put(signIn));
  };

  /**
   * IdP-initiated sign-in, as a My Apps tile starts it (Entra's launcher URL is
   * `launcher.myapps.microsoft.com/api/signin/<appId>?tenantId=<tid>`): the same sign-in page,
   * then a response to the application's reply URL that answers no request (no InResponseTo),
   * with the application's configured RelayState.
   */
  router.get('/:tid/myapps/signin', (req, res) => {
    const tenant = tenantOf(req);
    const entityId = String(req.query.app ?? '');
    const app = tenant.application(entityId);
    if (!app?.replyUrl || !isHttpUrl(app.replyUrl)) {
      throw new EmulatorError(400, `Application '${entityId}' is not configured for sign-in from My Apps (no reply URL).`, 'AADSTS50011');
    }
    const signIn: PendingSignIn = {
      tenantId: tenant.tenantId,
      audience: app.entityId,
      acsUrl: app.replyUrl,
      ...(app.relayState !== undefined ? { relayState: app.relayState } : {}),
    };
    renderSignIn(req, res, tenant, signIn, pending.put(signIn));
  });

  router.get('/:tid/saml2', handleRequest('redirect'));
  router.post('/:tid/saml2', form, handleRequest('post'));

  router.post('/:tid/saml2/login', form, (req, res) => {
    const tenant = tenantOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const signIn = pending.get(body.ctx, tenant.tenantId);
    if (!signIn) {
      throw new EmulatorError(400, 'Your sign-in request has expired or is not known. Go back to the application and sign in again.');
    }
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const handle = String(body.ctx);
    if (!email) return renderSignIn(req, res, tenant, signIn, handle, 'Enter a valid email address, phone number, or Skype name.');
    const user = tenant.findUser(email);
    if (!user) return renderSignIn(req, res, tenant, signIn, handle, userNotFoundInDirectory(email, tenant.tenantId).message, email);

    sendSignedResponse(res, tenant, signIn, user.email);
  });

  return router;
}

/** The IdP's answer once a user is picked: its signed response to the request, auto-posted to the ACS. */
export function sendSignedResponse(
  res: Response,
  idp: { issueSamlResponse(input: IssueSamlResponseInput): IssuedSamlResponse },
  signIn: PendingSignIn,
  email: string,
): void {
  const issued = idp.issueSamlResponse({
    email,
    acsUrl: signIn.acsUrl,
    audience: signIn.audience,
    ...(signIn.requestId ? { inResponseTo: signIn.requestId } : {}),
    ...(signIn.relayState !== undefined ? { relayState: signIn.relayState } : {}),
  });
  res
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(autoPostPage(signIn.acsUrl, issued.samlResponse, issued.relayState));
}
