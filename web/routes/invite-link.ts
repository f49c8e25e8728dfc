import { Router, type Request, type Response } from 'express';
import { acceptInvite, type AcceptResult } from '../../lib/invites/accept';
import { auditRefusal, openInvite, type OpenedInvite } from '../../lib/invites/open';
import { registerThroughInvite } from '../../lib/invites/register';
import { requestNewInvite } from '../../lib/invites/renewal';
import type { WebDeps } from '../deps';
import { csrfToken } from '../http/csrf';
import { requireUser } from '../http/guards';
import { signIn } from '../http/session';
import { requestContext } from '../http/request-context';
import { renderPage } from '../views/page';
import { accountRateLimits } from '../http/rate-limits';
import { deadLinkView, problemView, renewalSentView, standardInviteView } from '../views/invites';

/**
 * The standard invite link `/invite/<token>`. Re-checked when opened: if the invitee's
 * domain has been nominated by a live tenant since, the link leads into the corporate flow
 * (SSO) instead. Otherwise: registration with the invited email fixed, or, for someone
 * already signed in with that email, accepting directly. Also the "ask for a new invite"
 * button of every dead link, corporate ones included.
 */

const corporatePath = (token: string) => `/corporateregistration/${token}`;

/** The page for an expired, used, revoked or unknown link (services audit the refusal). */
export function renderDeadLink(req: Request, res: Response, token: string, opened: OpenedInvite & { ok: false }) {
  renderPage(
    req,
    res,
    { title: 'Invite', status: opened.reason === 'invalid' ? 404 : 410 },
    deadLinkView({ csrf: csrfToken(req), token, opened }),
  );
}

/** Opening a dead link: audited (tokens being guessed leave a trail), then the page. */
export async function showDeadLink(req: Request, res: Response, token: string, opened: OpenedInvite & { ok: false }) {
  await auditRefusal(opened.reason, opened.view, { ...requestContext(req), userId: req.user?.id, email: req.user?.email }, 'open');
  renderDeadLink(req, res, token, opened);
}

/** What a refused acceptance looks like, on both link kinds. */
export function showAcceptRefusal(req: Request, res: Response, token: string, result: AcceptResult & { ok: false }) {
  if (result.reason === 'email-mismatch') {
    return renderPage(
      req,
      res,
      { title: 'Invite', status: 403 },
      problemView({ title: 'This invite is for someone else', message: result.message, view: result.view }),
    );
  }
  if (result.reason === 'sso-required') return res.redirect(303, corporatePath(token));
  renderDeadLink(req, res, token, {
    ok: false,
    reason: result.reason === 'cannot-apply' ? 'revoked' : result.reason,
    message: result.message,
    view: result.view,
  });
}

export function inviteLinkRouter(deps: WebDeps): Router {
  const router = Router();
  const limits = accountRateLimits();
  const tokenOf = (req: Request) => String(req.params.token);

  router.get('/invite/:token', async (req, res) => {
    const token = tokenOf(req);
    const opened = await openInvite(token);
    if (!opened.ok) return showDeadLink(req, res, token, opened);
    if (opened.tenant) return res.redirect(303, corporatePath(token));
    renderPage(
      req,
      res,
      { title: 'You are invited' },
      standardInviteView({ csrf: csrfToken(req), token, view: opened.view, signedInAs: req.user?.email }),
    );
  });

  router.post('/invite/:token/register', ...limits.register, async (req, res) => {
    const token = tokenOf(req);
    const result = await registerThroughInvite(token, req.body, requestContext(req), deps);
    switch (result.outcome) {
      case 'registered':
        await signIn(req, result.user);
        return result.accepted.ok ? res.redirect(303, result.accepted.redirectTo) : showAcceptRefusal(req, res, token, result.accepted);
      case 'dead-link':
        return renderDeadLink(req, res, token, result.opened);
      case 'use-sso':
        return res.redirect(303, corporatePath(token));
    }
    const { view } = result;
    if (result.reason === 'invalid-input') {
      const displayName = typeof req.body.displayName === 'string' ? req.body.displayName : undefined;
      return renderPage(
        req,
        res,
        { title: 'You are invited', status: 400 },
        standardInviteView({ csrf: csrfToken(req), token, view, displayName, error: result.message }),
      );
    }
    const action = result.ssoUrl
      ? { label: 'Sign in with your organisation', href: result.ssoUrl }
      : { label: 'Sign in', href: `/signin?email=${encodeURIComponent(view.email)}&next=${encodeURIComponent(`/invite/${token}`)}` };
    const title = result.reason === 'policy' ? 'Use your organisation sign-in' : 'You already have an account';
    renderPage(req, res, { title: 'Invite', status: result.status }, problemView({ title, message: result.message, view, action }));
  });

  router.post('/invite/:token/accept', requireUser, async (req, res) => {
    const token = tokenOf(req);
    const result = await acceptInvite(token, req.user!, requestContext(req));
    if (!result.ok) return showAcceptRefusal(req, res, token, result);
    res.redirect(303, result.redirectTo);
  });

  router.post('/invite/:token/renew', async (req, res) => {
    const { inviter } = await requestNewInvite(tokenOf(req), requestContext(req), deps);
    renderPage(req, res, { title: 'Request sent' }, renewalSentView(inviter));
  });

  return router;
}
