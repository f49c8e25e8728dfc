/**
 * The tenancy admin portal: the invitation link (`/portal/invite/<token>`: GET explains, POST
 * redeems, since mail scanners open links) and the portal's pages under `/portal/<tid>`, for
 * that tenancy's admins and staff only.
 */
import { Router } from 'express';
import type { WebDeps } from '../deps';
import { csrfToken } from '../http/csrf';
import { requireUser } from '../http/guards';
import { requestContext } from '../http/request-context';
import { renderPage } from '../views/page';
import { lookUpInvite, redeemInvite } from '../../lib/portal/redeem';
import { portalTenant } from './portal-context';
import { withPortalNav } from '../views/portal-nav';
import { tenantDetail } from '../../lib/onboarding/tenants';
import { invitePromptView, inviteProblemView, inviteStatus } from '../views/portal-invite';
import { portalProgressView } from '../views/portal';
import { html } from '../views/html';
import { listProofs } from '../../lib/domains/proofs';
import { domainProofsCard } from '../views/domain-proofs-card';
import { listCampaigns } from '../../lib/campaigns/campaigns';
import { campaignsCard } from '../views/campaigns-card';

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

  router.get('/portal/:tid', requireUser, async (req, res) => {
    const tid = portalTenant(req);
    const [detail, proofs, campaigns] = await Promise.all([tenantDetail(deps, tid), listProofs(tid), listCampaigns(tid)]);
    // The staff console's cards, read-only (no CSRF token: no actions).
    const cards = html`${domainProofsCard(proofs)}${campaignsCard(tid, detail.tenant?.domains ?? [], campaigns)}`;
    renderPage(
      req,
      res,
      { title: `Admin portal: ${detail.tenant?.name ?? tid}` },
      withPortalNav(tid, 'progress', portalProgressView(detail, cards)),
    );
  });
  return router;
}
