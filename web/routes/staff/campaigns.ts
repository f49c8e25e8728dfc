/**
 * Staff console: a tenancy's migration campaigns, under /staff/tenants/:tid/campaigns (pages
 * redirect back to the tenant page) and /api/staff/tenants/:tid/campaigns (JSON).
 */
import { Router, type Request } from 'express';
import type { WebDeps } from '../../deps';
import { campaignAction, listCampaigns, startCampaign, type CampaignActor } from '../../../lib/campaigns/campaigns';

const tid = (req: Request) => String(req.params.tid);
const staff = (req: Request): CampaignActor => ({ kind: 'staff', email: req.user!.email, userId: req.user!.id });
const act = (deps: WebDeps, req: Request) =>
  campaignAction(deps, tid(req), String(req.params.domain), String(req.params.action), req.body ?? {}, staff(req));

export function campaignPages(deps: WebDeps): Router {
  const router = Router({ mergeParams: true });
  const back = (req: Request, done: string) => `/staff/tenants/${tid(req)}?done=${done}#campaigns`;
  router.post('/', async (req, res) => {
    await startCampaign(deps, tid(req), req.body ?? {}, staff(req));
    res.redirect(303, back(req, 'campaign-started'));
  });
  router.post('/:domain/:action', async (req, res) => {
    await act(deps, req);
    res.redirect(303, back(req, 'campaign-updated'));
  });
  return router;
}

export function campaignApi(deps: WebDeps): Router {
  const router = Router({ mergeParams: true });
  router.get('/', async (req, res) => void res.json({ campaigns: await listCampaigns(tid(req)) }));
  router.post('/', async (req, res) => void res.status(201).json(await startCampaign(deps, tid(req), req.body ?? {}, staff(req))));
  router.post('/:domain/:action', async (req, res) => void res.json(await act(deps, req)));
  return router;
}
