import express, { type Express } from 'express';
import helmet from 'helmet';
import passport from 'passport';
import type { WebDeps } from './deps';
import { errorHandler, notFoundHandler } from './http/errors';
import { configurePassport, sessionMiddleware } from './http/session';
import { csrfProtection } from './http/csrf';
import { healthRouter } from './routes/health';
import { samlRouter } from './routes/saml';
import { samlBodyParser } from './saml/body-limit';
import { collabRouter } from './routes/collab';
import { homeRouter } from './routes/home';
import { authRouter } from './routes/auth';
import { staffRouter } from './routes/staff';
import { onboardingRouter } from './routes/onboarding';
import { invitesRouter } from './routes/invites';
import { corporateRegistrationRouter } from './routes/corporate-registration';
import { accountRouter } from './routes/account';
import { tenantAdminRouter } from './routes/tenant-admin';
import { portalRouter } from './routes/portal';
import { portalProgressRouter } from './routes/portal-progress';
import { portalUsersRouter } from './routes/portal-users';
import { portalDomainsRouter } from './routes/portal-domains';
import { portalAccessRouter } from './routes/portal-access';
import { portalLoggingRouter } from './routes/portal-logging';
import { portalConnectRouter } from './routes/portal-connect';
import { scimRouter } from './routes/scim';
import { tenancyAuditRouter } from './routes/tenancy-audit';

export type { WebDeps } from './deps';

/** Builds the web app without listening: `web/main.ts` listens, tests use port 0. */
export function createApp(deps: WebDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  if (deps.config.TRUST_PROXY) app.set('trust proxy', 1);
  // Cookies are Secure (and the CSRF cookie `__Host-` prefixed) when the public URL is HTTPS.
  app.locals.secureCookies = deps.config.PUBLIC_BASE_URL.startsWith('https://');
  app.use(
    helmet({
      contentSecurityPolicy: {
        // The SAML auto-post and small inline scripts on a few pages need 'unsafe-inline';
        // form-action stays open because SSO posts to the customer's Entra login host.
        directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'form-action': null },
      },
    }),
  );
  app.use(healthRouter(deps));
  // SCIM provisioning: a bearer-token API with its own parser and error format, no sessions.
  app.use(scimRouter(deps));

  // The SAML ACS parses its own (larger, audited) form body; the parsers below then skip it.
  app.use('/saml', samlBodyParser);
  app.use(express.json({ limit: '100kb' }));
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  // Bearer-only API (SIEMs polling a tenancy's audit events): no session, no CSRF.
  app.use(tenancyAuditRouter());
  app.use(sessionMiddleware(deps.config));
  configurePassport();
  app.use(passport.initialize());
  app.use(passport.session());

  // Cross-site posts by design (Entra's SAML POST binding): mounted before CSRF checks.
  app.use(samlRouter(deps));

  app.use(csrfProtection);
  // One router per area.
  app.use(homeRouter());
  app.use(authRouter(deps));
  app.use(staffRouter(deps));
  app.use(onboardingRouter(deps));
  app.use(invitesRouter(deps));
  app.use(corporateRegistrationRouter());
  app.use(accountRouter(deps));
  app.use(tenantAdminRouter(deps));
  app.use(portalRouter(deps));
  app.use(portalProgressRouter(deps));
  app.use(portalUsersRouter(deps));
  app.use(portalDomainsRouter(deps));
  app.use(portalAccessRouter(deps));
  app.use(portalLoggingRouter(deps));
  app.use(portalConnectRouter(deps));
  app.use(collabRouter(deps)); // files, hubs, contacts, meetings: pages + /api, behind requireUser

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
