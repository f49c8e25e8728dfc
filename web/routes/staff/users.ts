import { Router } from 'express';
import { USER_KINDS, USER_STATUSES } from '../../../lib/models';
import { html, type SafeHtml } from '../../views/html';
import { renderPage } from '../../views/page';
import { timeTag } from '../../views/time';
import { auditDetails } from '../../views/audit-details';
import { listAuditEvents, type SerializedAuditEvent } from '../../../lib/audit-search';
import type { StaffSection } from './section';
import { getUser, parseUserFilter, searchUsers, type SerializedUser, type UserFilter } from '../../../lib/accounts/user-search';

export const usersSection: StaffSection = {
  path: 'users',
  title: 'Users',
  description: 'Find any account by the start of its email or of a word of its name; see its kind, status and recent activity.',
  pages: () => {
    const router = Router();
    router.get('/', async (req, res) => {
      const filter = parseUserFilter(req.query);
      renderPage(req, res, { title: 'Users' }, usersView(filter, await searchUsers(filter)));
    });
    router.get('/:id', async (req, res) => {
      const user = await getUser(req.params.id);
      const activity = await listAuditEvents({ user: user.id, limit: 20 });
      renderPage(req, res, { title: user.email }, userView(user, activity.events));
    });
    return router;
  },
  api: () => {
    const router = Router();
    router.get('/', async (req, res) => {
      res.json(await searchUsers(parseUserFilter(req.query)));
    });
    router.get('/:id', async (req, res) => {
      res.json({ user: await getUser(req.params.id) });
    });
    return router;
  },
};

const select = (name: string, values: readonly string[], current?: string) =>
  html`<select id="${name}" name="${name}"><option value="">any</option>${values.map((v) => html`<option ${current === v ? 'selected' : ''}>${v}</option>`)}</select>`;

function usersView(filter: UserFilter, page: { users: SerializedUser[]; next: string | null }): SafeHtml {
  const more = new URLSearchParams(
    Object.entries({ ...filter, after: page.next ?? '' })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]): [string, string] => [k, String(v)]),
  );
  return html`<h1>Users</h1>
<form class="card" method="get" action="/staff/users" style="display:grid;grid-template-columns:2fr 1fr 1fr auto;gap:0 12px;align-items:end">
<div><label for="q">Email or name starts with</label><input id="q" name="q" value="${filter.q ?? ''}" aria-describedby="q-help"></div>
<div><label for="kind">Kind</label>${select('kind', USER_KINDS, filter.kind)}</div>
<div><label for="status">Status</label>${select('status', USER_STATUSES, filter.status)}</div>
<div><button>Search</button></div>
</form>
<p class="muted" id="q-help">${
    filter.q
      ? 'Users whose email, or a word of whose name, starts with the text (any case), in alphabetical order of what matched.'
      : 'Every user, in email order. A search matches the start of the email or of any word of the name, not text inside a word.'
  }</p>
<div class="card"><table>
<thead><tr><th>Email</th><th>Name</th><th>Kind</th><th>Status</th><th>Tenant</th><th>Created</th></tr></thead>
<tbody>${page.users.map(
    (
      u,
    ) => html`<tr data-user="${u.email}"><td><a href="/staff/users/${u.id}">${u.email}</a>${u.isStaff ? html` <span class="pill">staff</span>` : ''}</td>
<td>${u.displayName ?? ''}</td><td>${u.kind}</td><td><span class="pill">${u.status}</span>${u.kind === 'standard' && !u.emailConfirmedAt ? html` <span class="pill">unconfirmed</span>` : ''}</td>
<td>${u.tenantId ?? ''}</td><td class="muted">${u.createdAt?.slice(0, 10) ?? ''}</td></tr>`,
  )}</tbody></table>
${page.users.length === 0 ? html`<p class="muted">${page.next ? 'None among the users read for this page.' : 'No users match.'}</p>` : ''}
${page.next ? html`<p><a href="/staff/users?${more.toString()}">More →</a></p>` : ''}
</div>`;
}

function userView(u: SerializedUser, events: SerializedAuditEvent[]): SafeHtml {
  const facts: [string, string][] = [
    ['Email', u.email],
    ['Name', u.displayName ?? ''],
    ['Kind', u.kind],
    ['Status', u.status],
    ['Staff', u.isStaff ? 'yes' : 'no'],
    ['Password', u.hasPassword ? 'set' : 'none'],
    ['Email confirmed', u.emailConfirmedAt ?? 'no'],
    ['Entra tenant', u.tenantId ?? ''],
    ['Created', u.createdAt ?? ''],
    ['User ID', u.id],
  ];
  return html`<p><a href="/staff/users">← Users</a></p><h1>${u.displayName || u.email}</h1>
<div class="card"><table>${facts.map(([k, v]) => html`<tr><th style="width:200px">${k}</th><td>${v}</td></tr>`)}</table></div>
<div class="card"><h2>Recent activity</h2><table>
${events.map((e) => html`<tr><td class="muted">${timeTag(e.at)}</td><td>${e.action}</td><td><span class="pill">${e.outcome}</span></td><td>${auditDetails(e.details)}</td></tr>`)}
</table>${events.length === 0 ? html`<p class="muted">No events yet.</p>` : ''}
<p><a href="/staff/audit?user=${u.id}">All events for this user →</a></p></div>
${
  u.status === 'deleted' || u.status === 'deleting'
    ? html`<p><a href="/staff/users/${u.id}/deletion">Deletion progress →</a></p>`
    : html`<p><a class="button danger" href="/staff/users/${u.id}/delete">Delete account…</a></p>`
}`;
}
