/**
 * The admin portal's Progress page (`/portal/<tid>`): the onboarding as a stepper, the domain
 * proofs read-only, and the tenancy's migration campaigns, which its admin starts, pauses,
 * extends and rolls back here. The same use cases as the staff console
 * (lib/campaigns/campaigns.ts: the `migrationCampaign` workflow, its Updates, its audit), with
 * the admin as actor.
 */
import { Router, type Request, type Response } from 'express';
import { campaignAction, listCampaigns, startCampaign } from '../../lib/campaigns/campaigns';
import { listProofs } from '../../lib/domains/proofs';
import { tenantDetail } from '../../lib/onboarding/tenants';
import type { WebDeps } from '../deps';
import { csrfToken } from '../http/csrf';
import { refusalToShow } from '../http/errors';
import { requireUser } from '../http/guards';
import { campaignsCard } from '../views/campaigns-card';
import { domainProofsCard } from '../views/domain-proofs-card';
import { html } from '../views/html';
import type { PageOptions } from '../views/layout';
import { renderPage } from '../views/page';
import { portalProgressView } from '../views/portal';
import { withPortalNav } from '../views/portal-nav';
import { portalActor, portalTenant } from './portal-context';

const NOTICES: Record<string, string> = {
  'campaign-started': 'Migration campaign started: the first nudges go out on schedule.',
  'campaign-updated': 'Migration campaign updated.',
};

export function portalProgressRouter(deps: WebDeps): Router {
  const router = Router();
  const show = async (req: Request, res: Response, notice?: PageOptions['notice'], status = 200) => {
    const tid = portalTenant(req);
    const [detail, proofs, campaigns] = await Promise.all([tenantDetail(deps, tid), listProofs(tid), listCampaigns(tid)]);
    // Domain proofs read-only here (they have their own page); campaigns with the admin's actions.
    const acts = { csrf: csrfToken(req), base: `/portal/${tid}/campaigns` };
    const cards = html`${domainProofsCard(proofs)}${campaignsCard(detail.tenant?.domains ?? [], campaigns, acts)}`;
    renderPage(
      req,
      res,
      { title: `Admin portal: ${detail.tenant?.name ?? tid}`, notice, status },
      withPortalNav(tid, 'progress', portalProgressView(detail, cards)),
    );
  };

  router.get('/portal/:tid', requireUser, async (req, res) => {
    const done = String(req.query.done ?? '');
    await show(req, res, Object.hasOwn(NOTICES, done) ? { kind: 'success', text: NOTICES[done] } : undefined);
  });

  /** Runs one campaign use case; a refusal (bad schedule, a closed campaign) shows on the page. */
  const acting = (use: (req: Request, tid: string) => Promise<unknown>, done: string) => async (req: Request, res: Response) => {
    const tid = portalTenant(req);
    try {
      await use(req, tid);
    } catch (err) {
      const refused = refusalToShow(err);
      return show(req, res, { kind: 'error', text: refused.shown().message }, refused.status);
    }
    res.redirect(303, `/portal/${tid}?done=${done}#campaigns`);
  };
  router.post(
    '/portal/:tid/campaigns',
    requireUser,
    acting((req, tid) => startCampaign(deps, tid, req.body ?? {}, portalActor(req)), 'campaign-started'),
  );
  router.post(
    '/portal/:tid/campaigns/:domain/:action',
    requireUser,
    acting(
      (req, tid) => campaignAction(deps, tid, String(req.params.domain), String(req.params.action), req.body ?? {}, portalActor(req)),
      'campaign-updated',
    ),
  );
  return router;
}
