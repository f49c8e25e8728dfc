/**
 * A tenancy's migration campaigns: progress (x of y migrated), status, deadline, and, given
 * actions (a CSRF token and where the forms post: the staff console's or the admin portal's
 * routes), starting, pausing, extending and rolling back; without them read-only.
 */
import type { MigrationCampaign } from '../../lib/models';
import { html, type SafeHtml } from './html';
import { timeTag } from './time';

export interface CampaignActions {
  csrf: string;
  /** Where the forms post, e.g. `/staff/tenants/<tid>/campaigns` or `/portal/<tid>/campaigns`. */
  base: string;
}

const form = (acts: CampaignActions, path: string, label: string, fields: SafeHtml | string = '', kind = 'secondary') =>
  html`<form method="post" action="${acts.base}${path}"><input type="hidden" name="_csrf" value="${acts.csrf}">${fields}<button class="${kind}">${label}</button></form>`;

const OPEN = ['waiting', 'nudging', 'paused', 'awaiting-deadline'];

export function campaignsCard(domains: string[], campaigns: MigrationCampaign[], acts?: CampaignActions): SafeHtml {
  return html`<div class="card" id="campaigns"><h2>Migration campaigns</h2>
<p class="muted">Emails each standard account of a nominated domain that has not signed in by SSO yet, on a schedule; they keep all their data.</p>
<table><thead><tr><th>Domain</th><th>Status</th><th>Migrated</th><th>Deadline</th>${acts === undefined ? '' : html`<th>Actions</th>`}</tr></thead><tbody>
${campaigns.map((c) => {
  const total = (c.progress?.migrated ?? 0) + (c.progress?.remaining ?? 0);
  const open = OPEN.includes(c.status);
  return html`<tr data-domain="${c.domain}" data-status="${c.status}"><td>${c.domain}</td><td><span class="pill">${c.status}</span></td>
<td class="progress">${c.progress?.migrated ?? 0} of ${total}</td><td>${c.deadline ? timeTag(c.deadline) : html`<span class="muted">none</span>`}</td>
${
  acts === undefined
    ? ''
    : html`<td>${
        open
          ? html`${form(acts, `/${c.domain}/${c.status === 'paused' ? 'resume' : 'pause'}`, c.status === 'paused' ? 'Resume' : 'Pause')}
${form(acts, `/${c.domain}/extend`, 'Extend deadline', html`<label for="extend-${c.domain}">New deadline</label><input id="extend-${c.domain}" name="deadline" type="date" required>`)}
${form(acts, `/${c.domain}/rollback`, 'Roll back', html`<label for="rollback-${c.domain}">Reason</label><input id="rollback-${c.domain}" name="reason" minlength="10" required>`, 'danger')}`
          : ''
      }</td>`
}</tr>`;
})}</tbody></table>
${campaigns.length === 0 ? html`<p class="muted">No campaign yet.</p>` : ''}
${
  acts === undefined
    ? ''
    : domains.length
      ? form(
          acts,
          '',
          'Start campaign',
          html`<label for="campaign-domain">Nominated domain</label><select id="campaign-domain" name="domain">${domains.map((d) => html`<option>${d}</option>`)}</select>
<label for="campaign-schedule">Rounds (days from now)</label><input id="campaign-schedule" name="schedule" value="0, 7, 14">
<label for="campaign-deadline">Deadline (days from now, optional)</label><input id="campaign-deadline" name="deadlineIn" placeholder="e.g. 21">`,
          '',
        )
      : html`<p class="muted">Nominate a domain first.</p>`
}</div>`;
}
