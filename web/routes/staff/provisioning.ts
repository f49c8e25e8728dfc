/**
 * Staff console: SCIM provisioning per tenancy. Pages under /staff/provisioning, the same
 * actions as JSON under /api/staff/provisioning (secrets, settings, legal holds, resuming
 * purges, restoring or re-timing a deprovisioning, reconciling now). Thin: each handler calls
 * one use case in lib/scim.
 */
import { Router, type Request, type Response } from 'express';
import ms from 'ms';
import { badRequest } from '../../../lib/errors';
import {
  changeQuarantine,
  pausePurges,
  restoreAccount,
  resumePurges,
  setLegalHold,
  type ActionActor,
} from '../../../lib/scim/deprovisioning-actions';
import { deprovisioningState, provisioningOverview, provisioningTenancies } from '../../../lib/scim/console';
import { reconcileNow } from '../../../lib/scim/reconcile-schedule';
import { issueTenancySecret } from '../../../lib/scim/secrets';
import { updateProvisioningSettings } from '../../../lib/scim/settings-actions';
import { revokeScimToken } from '../../../lib/scim/tokens';
import type { WebDeps } from '../../deps';
import { csrfToken } from '../../http/csrf';
import { renderPage } from '../../views/page';
import { provisioningListView, provisioningView } from '../../views/provisioning';
import type { StaffSection } from './section';

const actor = (req: Request): ActionActor => ({ kind: 'staff', email: req.user!.email, userId: req.user!.id });
const tid = (req: Request) => String(req.params.tid).toLowerCase();

function overlapOf(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = ms(String(value) as ms.StringValue);
  if (typeof parsed !== 'number' || parsed < 0)
    throw badRequest(`overlap must be a duration such as "24h" or "0s", got "${String(value)}"`);
  return parsed;
}

/** The actions, shared by the page forms and the JSON API. */
function actions(deps: WebDeps) {
  return {
    tokens: (req: Request) =>
      issueTenancySecret(
        deps,
        tid(req),
        { kind: 'staff', email: req.user!.email, userId: req.user!.id },
        { label: req.body?.label || undefined, overlapMs: overlapOf(req.body?.overlap) },
      ),
    revoke: (req: Request) =>
      revokeScimToken(tid(req), String(req.params.id), { kind: 'staff', email: req.user!.email, userId: req.user!.id }),
    settings: (req: Request) => updateProvisioningSettings(tid(req), req.body ?? {}, actor(req)),
    legalHold: (req: Request) =>
      setLegalHold(deps.temporal, tid(req), { ...req.body, lift: req.body?.lift === true || req.body?.lift === 'true' }, actor(req)),
    resume: (req: Request) => resumePurges(deps.temporal, tid(req), req.body ?? {}, actor(req)),
    pause: (req: Request) => pausePurges(tid(req), req.body ?? {}, actor(req)),
    restore: (req: Request) =>
      restoreAccount(deps.temporal, String(req.params.userId), req.body ?? {}, actor(req), { tenantIds: [tid(req)] }),
    quarantine: (req: Request) =>
      changeQuarantine(deps.temporal, String(req.params.userId), req.body ?? {}, actor(req), { tenantIds: [tid(req)] }),
    reconcile: (req: Request) => reconcileNow(deps.temporal, deps.config, tid(req)),
  };
}

const ROUTES: [string, keyof ReturnType<typeof actions>][] = [
  ['/:tid/tokens/:id/revoke', 'revoke'],
  ['/:tid/settings', 'settings'],
  ['/:tid/legal-hold', 'legalHold'],
  ['/:tid/resume-purges', 'resume'],
  ['/:tid/pause-purges', 'pause'],
  ['/:tid/deprovisionings/:userId/restore', 'restore'],
  ['/:tid/deprovisionings/:userId/quarantine', 'quarantine'],
  ['/:tid/reconcile', 'reconcile'],
];

function pages(deps: WebDeps): Router {
  const router = Router();
  const act = actions(deps);
  const show = async (req: Request, res: Response, extra: Parameters<typeof provisioningView>[2] = undefined) =>
    renderPage(req, res, { title: 'Provisioning' }, provisioningView(await provisioningOverview(deps, tid(req)), csrfToken(req), extra));
  router.get('/', async (req, res) => renderPage(req, res, { title: 'Provisioning' }, provisioningListView(await provisioningTenancies())));
  router.get('/:tid', (req, res) => show(req, res));
  // The new secret is shown on this response only, never stored in the session.
  router.post('/:tid/tokens', async (req, res) => show(req, res, await act.tokens(req)));
  for (const [path, name] of ROUTES) {
    router.post(path, async (req, res) => {
      await act[name](req);
      res.redirect(303, `/staff/provisioning/${tid(req)}`);
    });
  }
  return router;
}

function api(deps: WebDeps): Router {
  const router = Router();
  const act = actions(deps);
  router.get('/', async (_req, res) => res.json({ tenancies: await provisioningTenancies() }));
  router.get('/:tid', async (req, res) => res.json(await provisioningOverview(deps, tid(req))));
  router.get('/:tid/deprovisionings/:userId', async (req, res) =>
    res.json(await deprovisioningState(deps.temporal, String(req.params.userId))),
  );
  router.post('/:tid/tokens', async (req, res) => res.status(201).json(await act.tokens(req)));
  for (const [path, name] of ROUTES) router.post(path, async (req, res) => res.json((await act[name](req)) ?? { done: true }));
  return router;
}

export const provisioningSection: StaffSection = {
  path: 'provisioning',
  title: 'Provisioning',
  description: "SCIM provisioning from the customer's directory: secrets, deprovisionings, legal holds, the safety valve.",
  pages,
  api,
};
