import { Router } from 'express';
import { acceptInvite } from '../../lib/invites/accept';
import { openInvite } from '../../lib/invites/open';
import { requestContext } from '../http/request-context';
import { renderPage } from '../views/page';
import { corporateInviteView } from '../views/invites';
import { showAcceptRefusal, showDeadLink } from './invite-link';

/**
 * The corporate invite link `/corporateregistration/<token>`, for people whose domain a live
 * tenant nominated. The page shows who invited whom and starts SP-initiated SSO with that
 * tenant, asking the ACS to come back to `.../complete`; by then the SSO path has created
 * (or migrated) the account and signed it in, and `complete` accepts the invite for it if
 * the SSO user's email is the invited one. The SSO code needs to know nothing about invites.
 */
export function corporateRegistrationRouter(): Router {
  const router = Router();
  const standardPath = (token: string) => `/invite/${token}`;

  router.get('/corporateregistration/:token', async (req, res) => {
    const token = String(req.params.token);
    const opened = await openInvite(token);
    if (!opened.ok) return showDeadLink(req, res, token, opened);
    // The tenant stopped enforcing SSO for this domain since the invite was sent.
    if (!opened.tenant) return res.redirect(303, standardPath(token));
    const relayState = `/corporateregistration/${token}/complete`;
    const ssoUrl = `/saml/${opened.tenant.tenantId}/login?relayState=${encodeURIComponent(relayState)}`;
    renderPage(
      req,
      res,
      { title: 'You are invited' },
      corporateInviteView({ view: opened.view, organisation: opened.tenant.name, ssoUrl }),
    );
  });

  // Reached by the ACS's redirect after sign-in, hence a GET. It only ever acts for the
  // signed-in user and only on an invite addressed to that user's own email.
  router.get('/corporateregistration/:token/complete', async (req, res) => {
    const token = String(req.params.token);
    if (!req.user) return res.redirect(303, `/corporateregistration/${token}`);
    const result = await acceptInvite(token, req.user, requestContext(req));
    if (!result.ok) return showAcceptRefusal(req, res, token, result);
    res.redirect(303, result.redirectTo);
  });

  return router;
}
