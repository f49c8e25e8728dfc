/**
 * The admin portal's Access: the tenancy's allowed groups and app roles and its admin mapping,
 * whether group claims reach us (and what an overage does), and editing them through
 * `setSsoPolicy`, the staff console's own path (its checks, `configVersion` bump and audit),
 * with the admin as actor. Only the lists that changed are saved, so each audit event is a change.
 */
import { Router } from 'express';
import { accessSettings } from '../../lib/portal/access-settings';
import { setSsoPolicy } from '../../lib/sso/tenant-policy';
import type { WebDeps } from '../deps';
import { csrfToken } from '../http/csrf';
import { refusalToShow } from '../http/errors';
import { requireUser } from '../http/guards';
import { requestContext } from '../http/request-context';
import { renderPage } from '../views/page';
import { ACCESS_LISTS, portalAccessView } from '../views/portal-access';
import { withPortalNav } from '../views/portal-nav';
import { portalActor, portalTenant } from './portal-context';

/** A textarea's lines (or commas) as a list. */
const lines = (v: unknown) =>
  String(v ?? '')
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

export function portalAccessRouter(deps: WebDeps): Router {
  const router = Router();
  router.use('/portal/:tid/access', requireUser);

  router.get('/portal/:tid/access', async (req, res) => {
    const tid = portalTenant(req);
    const notice =
      req.query.done === 'saved' ? { kind: 'success' as const, text: 'Saved: it applies from each user’s next sign-in.' } : undefined;
    renderPage(
      req,
      res,
      { title: 'Access', notice },
      withPortalNav(tid, 'access', portalAccessView(tid, await accessSettings(deps.config, tid), csrfToken(req))),
    );
  });

  router.post('/portal/:tid/access', async (req, res) => {
    const tid = portalTenant(req);
    const current = await accessSettings(deps.config, tid);
    const changed: Record<string, string[]> = {};
    for (const { key } of ACCESS_LISTS) {
      // Group IDs compare lower-case, as the policy stores them.
      const given = lines(req.body?.[key]).map((v) => (key.endsWith('Groups') ? v.toLowerCase() : v));
      if (given.join('\n') !== current[key].join('\n')) changed[key] = given;
    }
    if (Object.keys(changed).length === 0) return res.redirect(303, `/portal/${tid}/access`);
    try {
      await setSsoPolicy(tid, changed, portalActor(req), requestContext(req));
    } catch (err) {
      const refused = refusalToShow(err);
      return renderPage(
        req,
        res,
        { title: 'Access', status: refused.status, notice: { kind: 'error', text: refused.shown().message } },
        withPortalNav(tid, 'access', portalAccessView(tid, current, csrfToken(req))),
      );
    }
    res.redirect(303, `/portal/${tid}/access?done=saved`);
  });
  return router;
}
