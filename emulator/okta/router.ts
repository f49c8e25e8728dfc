/**
 * The emulated Okta apps over HTTP, at Okta's own paths (under /okta on the emulator's host):
 *   GET      /okta/app/<appId>/sso/saml/metadata      the app's "Identity Provider metadata"
 *   GET|POST /okta/app/<slug>/<appId>/sso/saml        AuthnRequest (Redirect/POST) → sign-in page
 *   POST     /okta/app/<slug>/<appId>/sso/saml/login  the sign-in form → auto-POST to the ACS
 *
 * The sign-in page and the pending-request handles are the Entra emulator's (same browser
 * selectors), branded Okta. Like Okta, an app set up with a "Single sign-on URL" answers only
 * to that ACS; one without it answers to the ACS the request names.
 */
import express, { type Request, type Response, type Router } from 'express';
import { decodeSamlRequest, parseSamlRequest } from '../authn-request';
import { EmulatorError } from '../errors';
import { signInPage } from '../pages';
import type { PendingSignIn, PendingSignIns } from '../pending-requests';
import { sendSignedResponse, type BaseFor } from '../sso';
import { isHttpUrl } from '../urls';
import type { OktaApp, OktaApps } from './org';

const BRAND = { name: 'Okta', idLabel: 'App' };

export function oktaRouter(apps: OktaApps, pending: PendingSignIns, baseFor: BaseFor): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '256kb' });

  const appOf = (req: Request): OktaApp => {
    const app = apps.get(String(req.params.appId));
    if (!app) throw new EmulatorError(404, `No Okta app ${String(req.params.appId)} in this org.`);
    return app;
  };
  const renderSignIn = (req: Request, res: Response, app: OktaApp, signIn: PendingSignIn, handle: string, error?: string) =>
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        signInPage({
          tenantName: app.name,
          tenantId: app.appId,
          audience: signIn.audience,
          users: app.users(),
          action: `${baseFor(req)}/okta/app/${req.params.slug}/${app.appId}/sso/saml/login`,
          handle,
          brand: BRAND,
          ...(error ? { error, email: String((req.body as Record<string, unknown>)?.email ?? '') } : {}),
        }),
      );

  router.get('/okta/app/:appId/sso/saml/metadata', (req, res) => {
    res.type('application/xml; charset=utf-8').send(appOf(req).metadataXml());
  });

  const handleRequest = (binding: 'redirect' | 'post') => (req: Request, res: Response) => {
    const app = appOf(req);
    const params = (binding === 'redirect' ? req.query : (req.body ?? {})) as Record<string, unknown>;
    const request = parseSamlRequest(decodeSamlRequest(params.SAMLRequest, binding));
    if (request.kind !== 'authn') throw new EmulatorError(400, 'Single logout is not enabled for this app.');
    const acsUrl = request.acsUrl ?? app.sp?.acsUrl;
    if (!acsUrl || !isHttpUrl(acsUrl) || (app.sp && acsUrl !== app.sp.acsUrl)) {
      throw new EmulatorError(400, `The AssertionConsumerServiceURL '${acsUrl ?? ''}' does not match the app's Single sign-on URL.`);
    }
    const signIn: PendingSignIn = {
      tenantId: app.appId,
      audience: request.issuer,
      acsUrl,
      requestId: request.id,
      ...(typeof params.RelayState === 'string' ? { relayState: params.RelayState } : {}),
    };
    renderSignIn(req, res, app, signIn, pending.put(signIn));
  };
  router.get('/okta/app/:slug/:appId/sso/saml', handleRequest('redirect'));
  router.post('/okta/app/:slug/:appId/sso/saml', form, handleRequest('post'));

  router.post('/okta/app/:slug/:appId/sso/saml/login', form, (req, res) => {
    const app = appOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const handle = String(body.ctx);
    const signIn = pending.get(body.ctx, app.appId);
    if (!signIn) throw new EmulatorError(400, 'Your sign-in request has expired. Go back to the application and sign in again.');
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    if (!app.findUser(email))
      return renderSignIn(req, res, app, signIn, handle, 'Unable to sign in: this user is not assigned to the app.');
    sendSignedResponse(res, app, signIn, email);
  });
  return router;
}
