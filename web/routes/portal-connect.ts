/**
 * The portal's Connect and Test pages (`/portal/<tid>/connect`, `/portal/<tid>/test`), for the
 * tenancy's admins and staff (assertPortalAccess: anyone else gets 404). Every POST is behind
 * the app's CSRF check and audited by the use case it calls.
 */
import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../deps';
import { csrfToken } from '../http/csrf';
import { requireUser } from '../http/guards';
import { requestContext } from '../http/request-context';
import { renderPage } from '../views/page';
import { withPortalNav } from '../views/portal-nav';
import { page } from '../views/layout';
import { Refusal } from '../../lib/contracts/refusal';
import { SamlRejection } from '../../lib/saml/rejection';
import { assertPortalAccess } from '../../lib/portal/access';
import { tenantDetail, type TenantDetail } from '../../lib/onboarding/tenants';
import { STAFF_ACTIONS } from '../../lib/onboarding/actions';
import { connectInfo, connectionKind, PORTAL_CONNECT_ACTIONS, runPortalConnectAction } from '../../lib/portal/connect';
import { findTestRun, listTestRuns, startTestRun } from '../../lib/portal/test-sign-in';
import { portalTestReport } from '../../lib/portal/test-report';
import { takeTestSignIn } from '../../lib/portal/test-sign-in-limit';
import { portalConnectView } from '../views/portal-connect';
import { portalReportView, portalTestView } from '../views/portal-test';
import { signInTenant } from '../saml/acs';
import { redirectToEntra } from '../saml/strategy';

type Notice = { kind: 'success' | 'error'; text: string };
const nameOf = (d: TenantDetail) => d.state?.input.orgName ?? d.tenant?.name ?? d.tenantId;
const tidOf = (req: Request) => assertPortalAccess(req.user!, String(req.params.tid));

export function portalConnectRouter(deps: WebDeps): Router {
  const router = Router();

  async function showConnect(req: Request, res: Response, tid: string, notice?: Notice, status = 200) {
    const detail = await tenantDetail(deps, tid);
    const info = await connectInfo(deps.config, tid, detail.state?.input.connection?.kind);
    const name = nameOf(detail);
    renderPage(
      req,
      res,
      { title: `Connect: ${name}`, notice, status },
      withPortalNav(tid, 'connect', portalConnectView(name, info, detail.state, csrfToken(req))),
    );
  }

  async function showTest(req: Request, res: Response, tid: string, notice?: Notice, status = 200) {
    const [detail, runs] = await Promise.all([tenantDetail(deps, tid), listTestRuns(tid)]);
    const wanted = typeof req.query.run === 'string' ? req.query.run : undefined;
    const shown = wanted ? await findTestRun(tid, wanted) : runs[0];
    const name = nameOf(detail);
    const kind = connectionKind(detail.tenant, detail.state?.input.connection?.kind);
    renderPage(
      req,
      res,
      { title: `Test: ${name}`, notice, status },
      withPortalNav(
        tid,
        'test',
        portalTestView({ tenantId: tid, name, kind, state: detail.state, stateError: detail.stateError, runs, shown }, csrfToken(req)),
      ),
    );
  }

  router.get('/portal/:tid/connect', requireUser, async (req, res) => {
    const tid = tidOf(req);
    const done = String(req.query.done ?? '');
    await showConnect(req, res, tid, PORTAL_CONNECT_ACTIONS.has(done) ? { kind: 'success', text: STAFF_ACTIONS[done].notice } : undefined);
  });

  router.post('/portal/:tid/connect/:action', requireUser, async (req, res) => {
    const tid = tidOf(req);
    const action = String(req.params.action);
    try {
      await runPortalConnectAction(deps, req.user!, tid, action, req.body ?? {}, requestContext(req));
      res.redirect(303, `/portal/${tid}/connect?done=${encodeURIComponent(action)}`);
    } catch (err) {
      if (!(err instanceof Refusal) || err.status === 404) throw err;
      await showConnect(req, res, tid, { kind: 'error', text: err.shown().message }, err.status);
    }
  });

  router.get('/portal/:tid/test', requireUser, async (req, res) => showTest(req, res, tidOf(req)));

  /** Starts an SP-initiated sign-in flagged as a test: the ACS reports its outcome back to the Test page. */
  router.post('/portal/:tid/test/sign-in', requireUser, async (req, res) => {
    const tid = tidOf(req);
    const tenant = await signInTenant(deps, tid).catch((err: unknown) => {
      if (err instanceof SamlRejection) return undefined;
      throw err;
    });
    if (!tenant) {
      const text = 'Test sign-ins start once your metadata is imported and the onboarding is in testing (see the Connect page).';
      return showTest(req, res, tid, { kind: 'error', text }, 409);
    }
    const budget = await takeTestSignIn(deps.config, tid, req.user!, requestContext(req));
    if (!budget.ok) {
      res.set('Retry-After', String(Math.max(1, Math.ceil((budget.retryAt.getTime() - Date.now()) / 1000))));
      return showTest(req, res, tid, { kind: 'error', text: budget.message }, 429);
    }
    const runId = await startTestRun(tid, req.user!, requestContext(req));
    await redirectToEntra(req, res, tenant, `/portal/${tid}/test`, runId);
  });

  router.get('/portal/:tid/test/report.json', requireUser, async (req, res) => {
    const tid = tidOf(req);
    res.set('Content-Disposition', `attachment; filename="entrada-test-report-${tid}.json"`).json(await portalTestReport(deps, tid));
  });

  router.get('/portal/:tid/test/report.html', requireUser, async (req, res) => {
    const tid = tidOf(req);
    const report = await portalTestReport(deps, tid);
    res
      .type('html')
      .set('Content-Disposition', `attachment; filename="entrada-test-report-${tid}.html"`)
      .send(page({ title: `Test report: ${report.orgName}` }, portalReportView(report)));
  });
  return router;
}
