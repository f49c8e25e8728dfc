import type { Request, Response } from 'express';
import passport from 'passport';
import { SAML, type Profile } from '@node-saml/node-saml';
import { MultiSamlStrategy } from '@node-saml/passport-saml';
import type { Config } from '../../lib/config';
import { requestIdsOf } from '../../lib/saml/request-ids';
import { SpFault } from '../../lib/saml/sp-fault';
import type { TenantSaml } from '../../lib/saml/tenant-config';
import type { TenantSamlOptions } from '../../lib/saml/sp-options';

export const SAML_STRATEGY = 'entra-saml';

/** The routes load the tenant from the URL; the strategy takes its settings from there. */
const TENANT = Symbol('samlTenant');
const TEST_RUN = Symbol('samlTestRun');
type WithTenant = Request & { [TENANT]?: TenantSaml & { options: TenantSamlOptions }; [TEST_RUN]?: string };

/** node-saml for one tenant, with its InResponseTo store (our request IDs, lib/saml/request-ids.ts). */
export function samlFor(config: Pick<Config, 'SESSION_SECRET'>, tenant: TenantSaml & { options: TenantSamlOptions }): SAML {
  return new SAML({ ...tenant.options, ...requestIdsOf(config).cacheFor(tenant.tenantId) });
}

/**
 * passport-saml's MultiSamlStrategy: one strategy, settings per tenant (cached by
 * lib/saml/tenant-config.ts, the request-ID store bound to the tenant per request). The verify
 * step only hands the verified profile on: everything after the signature is the ACS check
 * chain's job.
 */
export function registerSamlStrategy(config: Pick<Config, 'SESSION_SECRET'>): void {
  const ids = requestIdsOf(config);
  // passport-saml ships its own (Express 4) request typings; the runtime objects are the same.
  const strategy = new MultiSamlStrategy(
    {
      passReqToCallback: true,
      getSamlOptions(req, done) {
        const tenant = (req as unknown as WithTenant)[TENANT];
        if (!tenant) return done(new SpFault('SAML route did not load a tenant'));
        const testRunId = (req as unknown as WithTenant)[TEST_RUN];
        done(null, { ...tenant.options, ...ids.cacheFor(tenant.tenantId, testRunId) });
      },
    },
    (_req, profile, done) => done(null, profile ?? undefined),
    (_req, profile, done) => done(null, profile ?? undefined),
  );
  passport.use(SAML_STRATEGY, strategy as unknown as passport.Strategy);
}

/** Validates the POSTed SAMLResponse (signature, InResponseTo, time window, audience). */
export function validateSamlPost(req: Request, res: Response, tenant: TenantSaml & { options: TenantSamlOptions }): Promise<Profile> {
  (req as WithTenant)[TENANT] = tenant;
  return new Promise((resolve, reject) => {
    passport.authenticate(SAML_STRATEGY, { session: false }, (err: unknown, profile: Profile | false) => {
      if (err) return reject(err);
      if (!profile) return reject(new Error('Missing SAML assertion'));
      resolve(profile);
    })(req, res, reject);
  });
}

/**
 * SP-initiated sign-in: redirects to Entra with one of our AuthnRequest IDs (HTTP-Redirect). With
 * `testRunId` the request is a portal test sign-in's and its ID names the run (lib/portal/test-sign-in.ts).
 */
export function redirectToEntra(
  req: Request,
  res: Response,
  tenant: TenantSaml & { options: TenantSamlOptions },
  relayState: string,
  testRunId?: string,
): Promise<void> {
  (req as WithTenant)[TENANT] = tenant;
  (req as WithTenant)[TEST_RUN] = testRunId;
  return new Promise((resolve, reject) => {
    res.once('finish', () => resolve());
    const options = { session: false, additionalParams: { RelayState: relayState } };
    passport.authenticate(SAML_STRATEGY, options as passport.AuthenticateOptions)(req, res, reject);
  });
}
