/**
 * The tenancy admin portal's invitation link (`/portal/invite/<token>`: GET explains, POST
 * redeems, since mail scanners open links). The portal's pages under `/portal/<tid>` are in the
 * other portal-* routers, for that tenancy's admins and staff only.
 */
import { Router } from 'express';
import type { WebDeps } from '../deps';
import { csrfToken } from '../http/csrf';
import { requireUser } from '../http/guards';
import { requestContext } from '../http/request-context';
import { renderPage } from '../views/page';
import { lookUpInvite, redeemInvite } from '../../lib/portal/redeem';
import { invitePromptView, inviteProblemView, inviteStatus } from '../views/portal-invite';

export function portalRouter(deps: WebDeps): Router {
  const router = Router();
  const secret = deps.config.SESSION_SECRET;

  router.get('/portal/invite/:token', async (req, res) => {
    const token = String(req.params.token);
    const found = await lookUpInvite(secret, token);
    if (!found.ok) return renderPage(req, res, { title: 'Invitation', status: inviteStatus[found.problem] }, inviteProblemView(found));
    renderPage(req, res, { title: 'Invitation' }, invitePromptView(found, { token, csrf: csrfToken(req), signedIn: Boolean(req.user) }));
  });

  router.post('/portal/invite/:token', requireUser, async (req, res) => {
    const { ip, userAgent } = requestContext(req);
    const result = await redeemInvite(secret, String(req.params.token), req.user!, { ip, userAgent });
    if (!result.ok) return renderPage(req, res, { title: 'Invitation', status: inviteStatus[result.problem] }, inviteProblemView(result));
    res.redirect(303, `/portal/${result.tenantId}`);
  });

  return router;
}
