/**
 * Assembles the emulator's Express app (no listening). Protocol errors render as Entra-style
 * pages with the AADSTS code (plain text for the metadata document, which SP importers read);
 * /_admin has its own JSON error handling.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { adminApi } from './admin-api';
import { consentRouter } from './consent';
import { directoryPage } from './directory-page';
import { EmulatorError, tenantNotFound } from './errors';
import { buildFederationMetadata } from './metadata';
import { errorPage } from './pages';
import { graphRouter } from './graph';
import { PendingSignIns } from './pending-requests';
import { ssoRouter } from './sso';
import { oktaRouter } from './okta/router';
import type { OktaApps } from './okta/org';
import type { TenantStore } from './tenant-store';
import type { DnsZones } from './dns/zones';

export function buildApp(store: TenantStore, okta: OktaApps, configuredBase: () => string | undefined, zones: DnsZones): Express {
  const app = express();
  app.disable('x-powered-by');
  // Without a configured base URL (app mounted in a test without listen()), use the request's host.
  const baseFor = (req: Request) => configuredBase() ?? `${req.protocol}://${req.get('host')}`;

  app.use('/_admin', adminApi(store, okta, baseFor, zones));
  app.get('/', (req, res) => void res.type('html').send(directoryPage(store.list(), baseFor(req))));

  app.get('/:tid/federationmetadata/2007-06/federationmetadata.xml', (req, res) => {
    const tenant = store.get(req.params.tid);
    if (!tenant) throw tenantNotFound(req.params.tid);
    res.type('application/xml; charset=utf-8').send(buildFederationMetadata(tenant, baseFor(req)));
  });
  const pending = new PendingSignIns();
  app.use(oktaRouter(okta, pending, baseFor));
  app.use(ssoRouter(store, pending, baseFor));
  app.use(consentRouter(store, baseFor));
  app.use(graphRouter(store, baseFor));

  app.use(
    (_req: Request, res: Response) =>
      void res.status(404).type('html').send(errorPage('This page does not exist in the Entra ID (and Okta) emulator.')),
  );
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = err instanceof EmulatorError;
    const status = known ? err.status : ((err as { status?: number }).status ?? 500);
    if (!known && status >= 500) console.error('[entra-emulator]', err);
    const message = known ? err.message : status < 500 ? 'The request is malformed.' : 'Internal emulator error.';
    if (req.path.endsWith('.xml')) return void res.status(status).type('text/plain').send(message);
    res.status(status).type('html').send(errorPage(message));
  });
  return app;
}
