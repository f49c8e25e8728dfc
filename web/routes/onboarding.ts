import { Router } from 'express';
import { renderPage } from '../views/page';
import { requestContext } from '../http/request-context';
import type { WebDeps } from '../deps';
import { handleConsentCallback } from '../../lib/onboarding/consent-callback';
import { html } from '../views/html';

/** Public onboarding pages: where Entra sends the customer's admin after the consent prompt. */
export function onboardingRouter(deps: WebDeps): Router {
  const router = Router();
  router.get('/onboarding/consent/callback', async (req, res) => {
    const outcome = await handleConsentCallback(deps, req.query as Record<string, unknown>, requestContext(req));
    res.set('Cache-Control', 'no-store');
    renderPage(
      req,
      res,
      { title: outcome.title, status: outcome.status },
      html`<div class="card" id="consent-outcome" data-outcome="${outcome.kind}"><h1>${outcome.title}</h1><p>${outcome.message}</p></div>`,
    );
  });
  return router;
}
