/**
 * Staff console: re-issue a tenancy admin's portal invitation, under
 * /staff/tenants/:tid/portal-invites (redirects back to the tenant page) and
 * /api/staff/tenants/:tid/portal-invites (JSON).
 */
import { Router, type Request } from 'express';
import type { WebDeps } from '../../deps';
import { listPortalInvites, reissuePortalInvite } from '../../../lib/portal/invitations';

const tid = (req: Request) => String(req.params.tid);
const staff = (req: Request) => ({ email: req.user!.email, id: req.user!.id });
const reissue = (deps: WebDeps, req: Request) =>
  reissuePortalInvite(deps.config, deps.mailer, { tenantId: tid(req), email: req.body?.email }, staff(req));

export function portalInvitePages(deps: WebDeps): Router {
  const router = Router({ mergeParams: true });
  router.post('/reissue', async (req, res) => {
    await reissue(deps, req);
    res.redirect(303, `/staff/tenants/${tid(req)}?done=portal-invite#portal-invites`);
  });
  return router;
}

export function portalInviteApi(deps: WebDeps): Router {
  const router = Router({ mergeParams: true });
  router.get('/', async (req, res) => void res.json({ invites: await listPortalInvites(tid(req)) }));
  router.post('/reissue', async (req, res) => void res.json(await reissue(deps, req)));
  return router;
}
