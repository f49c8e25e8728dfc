/** The admin portal's Users pages: the tenancy's users (a page at a time) and the typed deletion confirmation. */
import type { MigrationState, PortalUser, UserListQuery } from '../../lib/portal/users';
import { html, type SafeHtml } from './html';
import { timeTag } from './time';

const MIGRATION_LABELS: Record<MigrationState, string> = {
  sso: 'SSO account',
  migrated: 'migrated to SSO',
  migrating: 'migrating',
  standard: 'standard account, not migrated',
};

export function portalUsersView(tid: string, list: { users: PortalUser[]; next: string | null }, q: UserListQuery): SafeHtml {
  const search = q.q ? `&q=${encodeURIComponent(q.q)}` : '';
  return html`<h1>Users</h1>
<form class="card" method="get" action="/portal/${tid}/users" role="search" style="display:flex;gap:8px;align-items:end">
<div style="flex:1"><label for="user-search">Email starts with</label><input id="user-search" name="q" value="${q.q ?? ''}" placeholder="alex@contoso.com"></div><button>Search</button></form>
<div class="card"><table><thead><tr><th>Email</th><th>Name</th><th>Sign-in</th><th>Status</th><th>Last SSO sign-in</th><th>Actions</th></tr></thead><tbody>
${list.users.map(
  (u) => html`<tr data-user="${u.email}" data-migration="${u.migration}"><td>${u.email}</td><td>${u.displayName ?? ''}</td>
<td>${MIGRATION_LABELS[u.migration]}</td><td><span class="pill">${u.status}</span></td>
<td>${u.lastSignInAt ? timeTag(u.lastSignInAt) : html`<span class="muted">none</span>`}</td>
<td>${deleteLink(tid, u)}</td></tr>`,
)}</tbody></table>
${list.users.length === 0 ? html`<p class="muted">${q.q ? 'No user matches.' : 'No users yet.'}</p>` : ''}
${q.after ? html`<a href="/portal/${tid}/users${search ? `?${search.slice(1)}` : ''}">First page</a> ` : ''}${list.next ? html`<a rel="next" href="/portal/${tid}/users?after=${encodeURIComponent(list.next)}${search}">Next page →</a>` : ''}
<p class="muted">Standard accounts of your nominated domains are listed until they sign in with SSO (then they move to your SSO accounts, data included). Only accounts that sign in through your organisation can be deleted here; ask us for the others.</p></div>`;
}

function deleteLink(tid: string, u: PortalUser): SafeHtml | string {
  if (u.status === 'deleting') return html`<a href="/portal/${tid}/users/${u.id}/deletion">Deletion progress</a>`;
  return u.kind === 'sso' || u.migration === 'migrating' ? html`<a href="/portal/${tid}/users/${u.id}/delete">Delete…</a>` : '';
}

export function portalDeleteUserView(tid: string, u: PortalUser, csrf: string): SafeHtml {
  return html`<p><a href="/portal/${tid}/users">← Users</a></p><h1>Delete ${u.email}</h1>
<div class="card"><p>This deletes the account <strong>${u.email}</strong> for good: every sign-in is refused and its sessions end at once, its files are purged, its hubs go to another hub admin (or are deleted when there is none), its contacts, messages and meetings are removed, and the account is anonymised.</p>
<form method="post" action="/portal/${tid}/users/${u.id}/delete">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="confirm-email">Type the account's email to confirm</label><input id="confirm-email" name="confirmEmail" autocomplete="off" required>
<label for="reason">Reason (kept in the audit trail)</label><textarea id="reason" name="reason" rows="3" maxlength="500" required></textarea>
<button class="danger">Delete this account permanently</button></form></div>`;
}
