import { Router } from 'express';
import type { DeletionCounts, DeletionProgress } from '../../../lib/contracts/deletion';
import { deletionReasonSchema, getDeletionProgress, requestUserDeletion } from '../../../lib/deletion/requests';
import type { WebDeps } from '../../deps';
import { csrfToken } from '../../http/csrf';
import { requireStaff } from '../../http/guards';
import { html, type SafeHtml } from '../../views/html';
import { renderPage } from '../../views/page';
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
    renderPage(req, res, { title: 'Deletion' }, progressView(progress, config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE));
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

const COUNT_LABELS: Record<keyof DeletionCounts, string> = {
  files: 'Files purged',
  bytes: 'Bytes purged',
  staffTokens: 'Staff API tokens revoked',
  hubsTransferred: 'Hubs handed to another admin',
  hubsLeft: 'Hub memberships removed',
  hubsDeleted: 'Hubs deleted (no admin to inherit them)',
  hubFiles: 'Files purged with those hubs',
  sharesRemoved: 'Shares to the user removed',
  contactsRemoved: 'Contacts removed',
  messagesRemoved: 'Messages deleted',
  meetingsDeleted: 'Meetings it organised, deleted',
  meetingsLeft: 'Meetings it was invited to, left',
  invitesRevoked: 'Pending invites revoked',
  identitiesTombstoned: 'SSO identities tombstoned',
};

function progressView(p: DeletionProgress & { workflowId: string }, temporalUi: string, namespace: string): SafeHtml {
  const pct = p.files.total ? Math.floor((100 * p.files.purged) / p.files.total) : p.status === 'deleted' ? 100 : 0;
  const counts = Object.entries(p.counts) as [keyof DeletionCounts, number][];
  return html`${p.status === 'deleted' ? '' : html`<meta http-equiv="refresh" content="2">`}
<p><a href="/staff/users/${p.userId}">← User ${p.userId}</a></p><h1>Deletion of user ${p.userId}</h1>
<div class="card"><p>Status: <span class="pill" data-status="${p.status}">${p.status}</span>${p.completedAt ? html` <span class="muted">completed ${p.completedAt}</span>` : ''}</p>
<p>Files purged: <strong data-files-purged>${p.files.purged}</strong> / ${p.files.total} (${pct} %)</p>
<progress max="100" value="${pct}" style="width:100%"></progress>
<p class="muted">Requested by ${p.requestedBy.kind}${p.requestedBy.email ? ` ${p.requestedBy.email}` : ''}: ${p.requestedBy.reason}</p>
${counts.length ? html`<table>${counts.map(([k, v]) => html`<tr><th style="width:320px">${COUNT_LABELS[k]}</th><td data-count="${k}">${v}</td></tr>`)}</table>` : ''}
<p><a href="${temporalUi}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(p.workflowId)}">Workflow ${p.workflowId} in Temporal →</a></p></div>`;
}
