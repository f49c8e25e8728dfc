/**
 * Staff console: tenant onboarding. Pages under /staff/tenants, the same actions as JSON
 * under /api/staff/tenants (both behind requireStaff, mounted by the staff router).
 * Handlers validate, call one onboarding service, respond.
 */
import { Router, type Request, type Response } from 'express';
import { Refusal } from '../../../lib/contracts/refusal';
import { renderPage } from '../../views/page';
import { csrfToken } from '../../http/csrf';
import type { WebDeps } from '../../deps';
import { runStaffAction, STAFF_ACTIONS } from '../../../lib/onboarding/actions';
import { CONNECTION_ACTIONS, runConnectionAction } from '../../../lib/connection/staff';
import { policyFromForm, setSsoPolicy } from '../../../lib/sso/tenant-policy';
import { requestContext } from '../../http/request-context';
import { startOnboarding } from '../../../lib/onboarding/start';
import { startBodyFromForm } from '../../../lib/onboarding/start-form';
import { tenantPageView } from '../../views/tenant-page';
import { listTenants, tenantDetail, testReport } from '../../../lib/onboarding/tenants';
import { reportView, tenantListView } from '../../views/onboarding';
import { newOnboardingView } from '../../views/start-onboarding';
import type { StaffSection } from './section';
import { domainProofApi, domainProofPages } from './domain-proofs';
import { listProofs } from '../../../lib/domains/proofs';
import { domainProofsCard, staffProofActions } from '../../views/domain-proofs-card';
import { campaignApi, campaignPages } from './campaigns';
import { listCampaigns } from '../../../lib/campaigns/campaigns';
import { campaignsCard } from '../../views/campaigns-card';
import { html } from '../../views/html';
import { portalInviteApi, portalInvitePages } from './portal-invites';
import { listPortalInvites } from '../../../lib/portal/invitations';
import { portalInvitesCard } from '../../views/portal-invites-card';

const DOMAIN_NOTICES: Record<string, string> = {
  'domain-proposed': 'Domain proposed: the customer publishes the TXT record shown.',
  'domain-check': 'Checking the TXT record now.',
  'domain-override': 'Domain proof overridden.',
  'campaign-started': 'Migration campaign started.',
  'campaign-updated': 'Migration campaign updated.',
  'portal-invite': 'Portal invitation re-issued: the previous link no longer works.',
};

const staff = (req: Request) => ({ email: req.user!.email, id: req.user!.id });

async function showTenant(deps: WebDeps, req: Request, res: Response, notice?: { kind: 'success' | 'error'; text: string }, status = 200) {
  const detail = await tenantDetail(deps, String(req.params.tid));
  const [proofs, campaigns, invites] = await Promise.all([
    listProofs(detail.tenantId),
    listCampaigns(detail.tenantId),
    listPortalInvites(detail.tenantId),
  ]);
  const csrf = csrfToken(req);
  const cards = html`${portalInvitesCard(detail.tenantId, invites, csrf)}${domainProofsCard(proofs, staffProofActions(detail.tenantId, csrf))}${campaignsCard(detail.tenant?.domains ?? [], campaigns, { csrf, base: `/staff/tenants/${detail.tenantId}/campaigns` })}`;
  const title = detail.state?.input.orgName ?? detail.tenant?.name ?? detail.tenantId;
  renderPage(req, res, { title, notice, status }, tenantPageView(detail, csrf, cards));
}

function pages(deps: WebDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => renderPage(req, res, { title: 'Tenants' }, tenantListView(await listTenants(deps))));
  router.get('/new', (req, res) => renderPage(req, res, { title: 'Start onboarding' }, newOnboardingView(csrfToken(req))));
  router.post('/', async (req, res) => {
    try {
      const body = startBodyFromForm(req.body ?? {});
      const { tenantId } = await startOnboarding(deps, body, staff(req));
      res.redirect(303, `/staff/tenants/${tenantId}?done=${body.kind === 'entra' ? 'start' : 'start-metadata'}`);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      renderPage(
        req,
        res,
        { title: 'Start onboarding', status: err.status },
        newOnboardingView(csrfToken(req), req.body ?? {}, err.shown().message),
      );
    }
  });
  router.get('/:tid', async (req, res) => {
    const done = String(req.query.done ?? '');
    const connectionDone = done.replace(/^connection-/, '');
    const text =
      done === 'start'
        ? 'Onboarding started: the consent link is on its way to the admins.'
        : done === 'start-metadata'
          ? "Onboarding started: give the customer our SP metadata, then import their IdP's metadata here."
          : done === 'sso-policy'
            ? 'SSO policy saved: it applies from the next sign-in.'
            : Object.hasOwn(DOMAIN_NOTICES, done)
              ? DOMAIN_NOTICES[done]
              : Object.hasOwn(STAFF_ACTIONS, done)
                ? STAFF_ACTIONS[done].notice
                : done.startsWith('connection-') && Object.hasOwn(CONNECTION_ACTIONS, connectionDone)
                  ? CONNECTION_ACTIONS[connectionDone].notice
                  : undefined;
    await showTenant(deps, req, res, text ? { kind: 'success', text } : undefined);
  });
  router.get('/:tid/report', async (req, res) => {
    const report = await testReport(deps, String(req.params.tid));
    renderPage(req, res, { title: `Test report: ${report.orgName}` }, reportView(report));
  });
  /** Runs a staff action, then shows the tenant page with its notice; a refused one is shown there with the reason. */
  const pageAction =
    (run: (req: Request, tid: string, action: string) => Promise<unknown>, prefix: string) => async (req: Request, res: Response) => {
      const tid = String(req.params.tid);
      const action = String(req.params.action);
      try {
        await run(req, tid, action);
        res.redirect(303, `/staff/tenants/${tid}?done=${prefix}${encodeURIComponent(action)}`);
      } catch (err) {
        if (!(err instanceof Refusal) || err.status === 404) throw err;
        await showTenant(deps, req, res, { kind: 'error', text: err.shown().message }, err.status);
      }
    };
  router.use('/:tid/domain-proofs', domainProofPages(deps));
  router.use('/:tid/campaigns', campaignPages(deps));
  router.use('/:tid/portal-invites', portalInvitePages(deps));
  router.post('/:tid/sso-policy', async (req, res) => {
    await setSsoPolicy(String(req.params.tid), policyFromForm(req.body), { kind: 'staff', email: staff(req).email }, requestContext(req));
    res.redirect(303, `/staff/tenants/${String(req.params.tid)}?done=sso-policy`);
  });
  router.post(
    '/:tid/connection/:action',
    pageAction((req, tid, action) => runConnectionAction(deps.temporal, tid, action, req.body ?? {}, staff(req).email), 'connection-'),
  );
  router.post(
    '/:tid/:action',
    pageAction((req, tid, action) => runStaffAction(deps, tid, action, req.body ?? {}, staff(req).email), ''),
  );
  return router;
}

function api(deps: WebDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ tenants: await listTenants(deps) });
  });
  router.post('/', async (req, res) => {
    const started = await startOnboarding(deps, req.body ?? {}, staff(req));
    res.status(201).json(started);
  });
  router.get('/:tid', async (req, res) => {
    const { tenant, ...detail } = await tenantDetail(deps, String(req.params.tid));
    res.json({
      ...detail,
      tenant: tenant && { name: tenant.name, stage: tenant.stage, domains: tenant.domains, liveAt: tenant.liveAt ?? null },
    });
  });
  router.get('/:tid/report', async (req, res) => {
    res.json(await testReport(deps, String(req.params.tid)));
  });
  router.use('/:tid/domain-proofs', domainProofApi(deps));
  router.use('/:tid/campaigns', campaignApi(deps));
  router.use('/:tid/portal-invites', portalInviteApi(deps));
  router.post('/:tid/sso-policy', async (req, res) => {
    res.json(await setSsoPolicy(String(req.params.tid), req.body ?? {}, { kind: 'staff', email: staff(req).email }, requestContext(req)));
  });
  router.post('/:tid/connection/:action', async (req, res) => {
    res.json(await runConnectionAction(deps.temporal, String(req.params.tid), String(req.params.action), req.body ?? {}, staff(req).email));
  });
  router.post('/:tid/:action', async (req, res) => {
    res.json(await runStaffAction(deps, String(req.params.tid), String(req.params.action), req.body ?? {}, staff(req).email));
  });
  return router;
}

export const tenantsSection: StaffSection = {
  path: 'tenants',
  title: 'Tenants',
  description: 'Onboard customer Entra tenants: consent, SAML configuration, testing, go-live.',
  pages,
  api,
};
