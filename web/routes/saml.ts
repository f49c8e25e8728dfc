import { Router, type Request } from 'express';
import { notFound } from '../../lib/errors';
import { TenantModel } from '../../lib/models';
import { safeLocalPath } from '../../lib/safe-path';
import { SamlRejection } from '../../lib/saml/rejection';
import { isHeldSignInHandle } from '../../lib/saml/idp-initiated';
import { spMetadataXml } from '../../lib/saml/sp-metadata';
import { signOut } from '../http/sign-out';
import type { WebDeps } from '../deps';
import { html } from '../views/html';
import { page } from '../views/layout';
import { signInTenant, verifySamlPost } from '../saml/acs';
import { completeSignIn } from '../saml/complete';
import { continueIdpInitiated, holdIdpInitiated } from '../saml/idp-initiated';
import { pendingPage, ssoStartPage } from '../saml/pages';
import { PENDING_KINDS, pendingPaths, pollPending } from '../saml/pending';
import { samlEndpoint } from '../saml/refusal';
import { acceptLogoutResponse, singleLogoutUrl } from '../saml/logout';
import { acceptLogoutRequest } from '../saml/idp-logout';
import { redirectToEntra, registerSamlStrategy } from '../saml/strategy';
import { samlRateLimits } from '../http/saml-rate-limits';
import { csrfProtection } from '../http/csrf';
import { finishTestSignIn } from '../saml/test-sign-in';

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OBJECT_ID = /^[0-9a-f]{24}$/;

/**
 * SAML service provider, one set of endpoints per Entra tenant (`/saml/<tenantId>/...`).
 * Mounted above CSRF protection: Entra posts the ACS cross-site by design, and the ACS is
 * protected by signatures, InResponseTo and single use instead. Every other route is a GET.
 * Sign-in starts, ACS posts and progress polls are rate-limited (web/http/saml-rate-limits.ts).
 */
export function samlRouter(deps: WebDeps): Router {
  registerSamlStrategy(deps.config);
  const router = Router();
  const limits = samlRateLimits(deps.config);
  const tid = (req: Request) => String(req.params.tid).toLowerCase();
  const tenantOr404 = (req: Request) =>
    signInTenant(deps, tid(req)).catch((err: unknown) => {
      throw err instanceof SamlRejection ? notFound('This organisation does not sign in with single sign-on here.') : err;
    });

  router.param('tid', (_req, _res, next, value: string) =>
    TENANT_ID.test(value.toLowerCase()) ? next() : next(notFound('Unknown organisation.')),
  );

  /** SP-initiated sign-in: `?relayState=/path` is where to land afterwards (same-site only). */
  router.get(
    '/saml/:tid/login',
    limits.login,
    samlEndpoint(deps, async (req, res, ctx) => {
      ctx.tenantId = tid(req);
      const tenant = await tenantOr404(req);
      await redirectToEntra(req, res, tenant, safeLocalPath(req.query.relayState));
    }),
  );

  /** Home-realm discovery's stop for someone who typed a password (lib/accounts/sign-in-policy.ts). */
  router.get(
    '/saml/:tid/start',
    samlEndpoint(deps, async (req, res, ctx) => {
      ctx.tenantId = tid(req);
      const tenant = await tenantOr404(req);
      const relayState = safeLocalPath(req.query.relayState);
      res.type('html').send(ssoStartPage(tenant.name, `/saml/${tenant.tenantId}/login?relayState=${encodeURIComponent(relayState)}`));
    }),
  );

  router.post(
    '/saml/:tid/acs',
    limits.acs,
    samlEndpoint(deps, async (req, res, ctx) => {
      ctx.tenantId = tid(req);
      const { tenant, claims, pendingClaim } = await verifySamlPost(deps, req, res, ctx);
      if (ctx.testRunId) return finishTestSignIn(res, tenant, claims, ctx.testRunId);
      const relayState = safeLocalPath(req.body?.RelayState);
      if (pendingClaim) return holdIdpInitiated(deps, res, tenant, claims, relayState, pendingClaim);
      await completeSignIn(deps, req, res, tenant, claims, relayState);
    }),
  );

  /** IdP-initiated sign-in, same-site after the ACS: signs in, or asks before switching account. */
  const heldSignIn = (confirmed: boolean) =>
    samlEndpoint(deps, async (req, res, ctx) => {
      ctx.tenantId = tid(req);
      const handle = String(req.params.handle);
      if (!isHeldSignInHandle(handle)) throw notFound();
      await continueIdpInitiated(deps, req, res, ctx, handle, confirmed);
    });
  router.get('/saml/:tid/idp/:handle', limits.status, heldSignIn(false));
  router.post('/saml/:tid/idp/:handle', limits.status, csrfProtection, heldSignIn(true));

  for (const { kind, segment } of PENDING_KINDS) {
    const paramsOk = (req: Request) => OBJECT_ID.test(String(req.params.userId));
    router.get(
      `/saml/${segment}/:userId/status`,
      limits.status,
      samlEndpoint(deps, async (req, res, ctx) => {
        if (!paramsOk(req)) throw notFound();
        const progress = await pollPending(deps, req, kind, String(req.params.userId), ctx);
        res
          .set('Cache-Control', 'no-store')
          .json(progress.state === 'done' ? { status: 'done', next: progress.next } : { status: 'pending' });
      }),
    );
    /** The same, for browsers without JavaScript (the page refreshes to here). */
    router.get(
      `/saml/${segment}/:userId`,
      samlEndpoint(deps, async (req, res, ctx) => {
        if (!paramsOk(req)) throw notFound();
        const progress = await pollPending(deps, req, kind, String(req.params.userId), ctx);
        if (progress.state === 'done') return res.redirect(303, progress.next);
        res.type('html').send(pendingPage(progress.work, pendingPaths(progress.work)));
      }),
    );
  }

  /** SP metadata for the customer's Entra enterprise application (the onboarding console links here). */
  router.get('/saml/:tid/metadata', async (req, res) => {
    const tenant = await TenantModel.findOne({ tenantId: tid(req) }, { tenantId: 1, saml: 1 }).lean();
    if (!tenant) throw notFound('Unknown organisation.');
    const xml = spMetadataXml(deps.config, tenant.tenantId, tenant.saml?.signing ?? 'assertion');
    res.type('application/samlmetadata+xml').set('Content-Disposition', `attachment; filename="entrada-${tenant.tenantId}.xml"`).send(xml);
  });

  /** Signs out here, then at Entra when the tenant has a logout URL. */
  router.get('/saml/:tid/logout', async (req, res) => {
    const url = await singleLogoutUrl(deps, req);
    await signOut(req);
    res.redirect(303, url ?? '/');
  });

  /** Entra signing the user out (its LogoutRequest, Redirect or POST binding). */
  router.post('/saml/:tid/slo', (req, res) => acceptLogoutRequest(deps, req, res, tid(req)));

  /** Entra's answer to our LogoutRequest, or its own LogoutRequest (Redirect binding). */
  router.get('/saml/:tid/slo', async (req, res) => {
    if (typeof req.query.SAMLRequest === 'string') return acceptLogoutRequest(deps, req, res, tid(req));
    const confirmed = await acceptLogoutResponse(deps, req, tid(req));
    res
      .type('html')
      .send(
        page(
          { title: 'Signed out' },
          html`<div class="card" id="signed-out"><h1>You are signed out</h1><p>${confirmed ? 'You are signed out of Entrada and of your organisation account.' : 'You are signed out of Entrada.'}</p><p><a class="button" href="/signin">Sign in again</a></p></div>`,
        ),
      );
  });

  return router;
}
