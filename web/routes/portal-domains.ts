/**
 * The admin portal's Domains: the tenancy's domain proofs with the TXT record to publish,
 * proposing a domain and asking for a re-check now. The same use cases as the staff console
 * (lib/domains/proofs.ts: the `domainProof` workflow, its signal, its audit), with the admin
 * as actor; overriding a proof stays staff's.
 */
import { Router, type Request, type Response } from 'express';
import { checkDomainNow, listProofs, proposeDomain } from '../../lib/domains/proofs';
import type { WebDeps } from '../deps';
import { csrfToken } from '../http/csrf';
import { refusalToShow } from '../http/errors';
import { requireUser } from '../http/guards';
import { domainProofsCard } from '../views/domain-proofs-card';
import { html } from '../views/html';
import type { PageOptions } from '../views/layout';
import { renderPage } from '../views/page';
import { withPortalNav } from '../views/portal-nav';
import { portalActor, portalTenant } from './portal-context';

const NOTICES: Record<string, string> = {
  proposed: 'Domain proposed: publish the TXT record shown on the domain. We check it on a schedule, or now when you ask.',
  checking: 'Checking the TXT record now: reload in a few seconds for the result.',
};

export function portalDomainsRouter(deps: WebDeps): Router {
  const router = Router();
  router.use('/portal/:tid/domains', requireUser);

  const show = async (req: Request, res: Response, notice?: PageOptions['notice'], status = 200) => {
    const tid = portalTenant(req);
    const proofs = await listProofs(tid);
    const card = domainProofsCard(proofs, { csrf: csrfToken(req), base: `/portal/${tid}/domains`, override: false });
    renderPage(
      req,
      res,
      { title: 'Domains', notice, status },
      withPortalNav(
        tid,
        'domains',
        html`<h1>Domains</h1>
<p>Prove that your organisation owns a domain: propose it, then publish the TXT record shown in the domain's DNS. Once it is verified, Entrada can send that domain's users to your sign-in.</p>${card}`,
      ),
    );
  };

  router.get('/portal/:tid/domains', async (req, res) => {
    const done = String(req.query.done ?? '');
    await show(req, res, Object.hasOwn(NOTICES, done) ? { kind: 'success', text: NOTICES[done] } : undefined);
  });

  router.post('/portal/:tid/domains', async (req, res) => {
    const tid = portalTenant(req);
    try {
      await proposeDomain(deps, tid, req.body?.domain, portalActor(req));
    } catch (err) {
      const refused = refusalToShow(err);
      return show(req, res, { kind: 'error', text: refused.shown().message }, refused.status);
    }
    res.redirect(303, `/portal/${tid}/domains?done=proposed`);
  });

  router.post('/portal/:tid/domains/:domain/check', async (req, res) => {
    const tid = portalTenant(req);
    await checkDomainNow(deps, tid, String(req.params.domain), portalActor(req));
    res.redirect(303, `/portal/${tid}/domains?done=checking`);
  });
  return router;
}
