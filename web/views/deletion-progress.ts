import type { DeletionCounts, DeletionProgress } from '../../lib/contracts/deletion';
import { html, type SafeHtml } from './html';

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

/** Where a user's deletion stands (staff console and admin portal); refreshes itself until done. */
export function deletionProgressView(
  p: DeletionProgress & { workflowId: string },
  back: { href: string; label: string },
  temporal: { TEMPORAL_UI_URL: string; TEMPORAL_NAMESPACE: string },
): SafeHtml {
  const pct = p.files.total ? Math.floor((100 * p.files.purged) / p.files.total) : p.status === 'deleted' ? 100 : 0;
  const counts = Object.entries(p.counts) as [keyof DeletionCounts, number][];
  return html`${p.status === 'deleted' ? '' : html`<meta http-equiv="refresh" content="2">`}
<p><a href="${back.href}">← ${back.label}</a></p><h1>Deletion of user ${p.userId}</h1>
<div class="card"><p>Status: <span class="pill" data-status="${p.status}">${p.status}</span>${p.completedAt ? html` <span class="muted">completed ${p.completedAt}</span>` : ''}</p>
<p>Files purged: <strong data-files-purged>${p.files.purged}</strong> / ${p.files.total} (${pct} %)</p>
<progress max="100" value="${pct}" style="width:100%"></progress>
<p class="muted">Requested by ${p.requestedBy.kind}${p.requestedBy.email ? ` ${p.requestedBy.email}` : ''}: ${p.requestedBy.reason}</p>
${counts.length ? html`<table>${counts.map(([k, v]) => html`<tr><th style="width:320px">${COUNT_LABELS[k]}</th><td data-count="${k}">${v}</td></tr>`)}</table>` : ''}
<p><a href="${temporal.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(temporal.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(p.workflowId)}">Workflow ${p.workflowId} in Temporal →</a></p></div>`;
}
