/**
 * The admin portal's Logging: the tenancy's own audit stream to its Microsoft Sentinel
 * workspace (settings, secret rotation, status, test event, pull tokens), the staff console's
 * pages and use cases (web/routes/audit-stream-pages.ts) for this tenancy only, with the admin as actor.
 */
import { Router } from 'express';
import type { WebDeps } from '../deps';
import { requireUser } from '../http/guards';
import { withPortalNav } from '../views/portal-nav';
import { streamPageRoutes } from './audit-stream-pages';
import { portalActor, portalTenant } from './portal-context';

export function portalLoggingRouter(deps: WebDeps): Router {
  const router = Router();
  router.use(
    '/portal/:tid/logging',
    requireUser,
    streamPageRoutes(deps, {
      tenant: portalTenant,
      actor: portalActor,
      at: (tid) => ({ base: `/portal/${tid}/logging`, title: 'Logging: your audit stream to Microsoft Sentinel' }),
      frame: (tid, content) => withPortalNav(tid, 'logging', content),
    }),
  );
  return router;
}
