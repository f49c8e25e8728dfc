import { Router } from 'express';
import { deletionReasonSchema, getDeletionProgress, requestUserDeletion } from '../../../lib/deletion/requests';
import type { WebDeps } from '../../deps';
import { csrfToken } from '../../http/csrf';
import { requireStaff } from '../../http/guards';
import { html, type SafeHtml } from '../../views/html';
import { renderPage } from '../../views/page';
import { deletionProgressView } from '../../views/deletion-progress';
import { check, parse } from '../../../lib/accounts/validation';
import { getUser, type SerializedUser } from '../../../lib/accounts/user-search';

/**
 * Staff deleting a user: the confirmation form, its post, and the progress page (console);
 * `POST /api/staff/users/:id/delete {reason}` → 202 and `GET /api/staff/users/:id/deletion`
 * (JSON). Both start or join the one `deleteUser` workflow through `requestUserDeletion`.
 */
export function staffDeletionRouter({ config, temporal }: WebDeps): Router {
  const router = Router();
  const start = (req: Express.Request, userId: string, reason: string) =>
    requestUserDeletion(temporal, config.TEMPORAL_TASK_QUEUE, {
      userId,
      requestedBy: { kind: 'staff', userId: req.user!.id, email: req.user!.email, reason },
    });

  router.use(
    ['/staff/users/:id/delete', '/staff/users/:id/deletion', '/api/staff/users/:id/delete', '/api/staff/users/:id/deletion'],
    requireStaff,
  );

  router.get('/staff/users/:id/delete', async (req, res) => {
    const user = await getUser(req.params.id);
    if (user.status === 'deleting' || user.status === 'deleted') return res.redirect(303, `/staff/users/${user.id}/deletion`);
    renderPage(req, res, { title: `Delete ${user.email}` }, confirmView(user, csrfToken(req)));
  });

  router.post('/staff/users/:id/delete', async (req, res) => {
    const user = await getUser(req.params.id);
    const input = check(deletionReasonSchema, req.body);
    if (!input.ok)
      return renderPage(
        req,
        res,
        { title: `Delete ${user.email}`, status: 400, notice: { kind: 'error', text: input.message } },
        confirmView(user, csrfToken(req)),
      );
    await start(req, user.id, input.data.reason);
    res.redirect(303, `/staff/users/${user.id}/deletion`);
  });

  router.get('/staff/users/:id/deletion', async (req, res) => {
    const progress = await getDeletionProgress(temporal, req.params.id);
    renderPage(
      req,
      res,
      { title: 'Deletion' },
      deletionProgressView(progress, { href: `/staff/users/${progress.userId}`, label: `User ${progress.userId}` }, config),
    );
  });

  router.post('/api/staff/users/:id/delete', async (req, res) => {
    const { reason } = parse(deletionReasonSchema, req.body);
    const { workflowId, attached } = await start(req, req.params.id, reason);
    res.status(202).json({ workflowId, attached, progress: `/api/staff/users/${req.params.id}/deletion` });
  });

  router.get('/api/staff/users/:id/deletion', async (req, res) => {
    res.json(await getDeletionProgress(temporal, req.params.id));
  });
  return router;
}

function confirmView(u: SerializedUser, csrf: string): SafeHtml {
  return html`<p><a href="/staff/users/${u.id}">← ${u.email}</a></p><h1>Delete ${u.email}</h1>
<div class="card"><p>This deletes the ${u.kind === 'sso' ? 'SSO' : 'standard'} account <strong>${u.email}</strong>${u.tenantId ? html` (Entra tenant ${u.tenantId})` : ''} for good:</p>
<ul><li>every sign-in is refused and all sessions end at once;</li>
<li>every file it owns is purged, and hubs only it owns go to another hub admin, or are deleted with their files if there is none;</li>
<li>its contacts, messages and the meetings it organised are deleted, shares to it removed;</li>
<li>the account is anonymised and its SSO identity can never be linked again: a new sign-in with this email starts an empty account.</li></ul>
<form method="post" action="/staff/users/${u.id}/delete">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="reason">Reason (kept in the audit trail)</label><textarea id="reason" name="reason" rows="3" maxlength="500" required></textarea>
<button class="danger">Delete this account permanently</button></form></div>`;
}
