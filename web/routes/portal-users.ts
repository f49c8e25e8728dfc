/**
 * The admin portal's Users: `/portal/<tid>/users` (a page at a time, by email), the typed
 * deletion confirmation and its post, and the deletion's progress. Deleting goes through
 * `requestUserDeletion`, the one deletion path (its rules, its audit, its workflow).
 */
import { Router, type Request } from 'express';
import { check } from '../../lib/accounts/validation';
import { deletionReasonSchema, getDeletionProgress, requestUserDeletion } from '../../lib/deletion/requests';
import { listTenancyUsers, parseUserListQuery, tenancyUser } from '../../lib/portal/users';
import type { WebDeps } from '../deps';
import { csrfToken } from '../http/csrf';
import { requireUser } from '../http/guards';
import { deletionProgressView } from '../views/deletion-progress';
import { renderPage } from '../views/page';
import { withPortalNav } from '../views/portal-nav';
import { portalDeleteUserView, portalUsersView } from '../views/portal-users';
import { portalTenant } from './portal-context';

export function portalUsersRouter({ config, temporal }: WebDeps): Router {
  const router = Router();
  router.use('/portal/:tid/users', requireUser);
  const userOf = (req: Request) => tenancyUser(portalTenant(req), String(req.params.id));

  router.get('/portal/:tid/users', async (req, res) => {
    const tid = portalTenant(req);
    const q = parseUserListQuery(req.query);
    renderPage(req, res, { title: 'Users' }, withPortalNav(tid, 'users', portalUsersView(tid, await listTenancyUsers(tid, q), q)));
  });

  router.get('/portal/:tid/users/:id/delete', async (req, res) => {
    const user = await userOf(req);
    if (user.status === 'deleting') return res.redirect(303, `/portal/${portalTenant(req)}/users/${user.id}/deletion`);
    renderPage(
      req,
      res,
      { title: `Delete ${user.email}` },
      withPortalNav(portalTenant(req), 'users', portalDeleteUserView(portalTenant(req), user, csrfToken(req))),
    );
  });

  router.post('/portal/:tid/users/:id/delete', async (req, res) => {
    const tid = portalTenant(req);
    const user = await userOf(req);
    const input = check(deletionReasonSchema, req.body);
    const typed = String(req.body?.confirmEmail ?? '')
      .trim()
      .toLowerCase();
    const problem = typed !== user.email ? `Type ${user.email} exactly to confirm.` : !input.ok ? input.message : undefined;
    if (problem || !input.ok)
      return renderPage(
        req,
        res,
        { title: `Delete ${user.email}`, status: 400, notice: { kind: 'error', text: problem ?? '' } },
        withPortalNav(tid, 'users', portalDeleteUserView(tid, user, csrfToken(req))),
      );
    const me = req.user!;
    await requestUserDeletion(temporal, config.TEMPORAL_TASK_QUEUE, {
      userId: user.id,
      requestedBy: { kind: me.isStaff ? 'staff' : 'tenant-admin', userId: me.id, email: me.email, reason: input.data.reason },
    });
    res.redirect(303, `/portal/${tid}/users/${user.id}/deletion`);
  });

  router.get('/portal/:tid/users/:id/deletion', async (req, res) => {
    const tid = portalTenant(req);
    const progress = await getDeletionProgress(temporal, String(req.params.id), { tenantIds: [tid] });
    renderPage(
      req,
      res,
      { title: 'Deletion' },
      withPortalNav(tid, 'users', deletionProgressView(progress, { href: `/portal/${tid}/users`, label: 'Users' }, config)),
    );
  });
  return router;
}
