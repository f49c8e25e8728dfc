/** The SSO connection card of a live tenant's staff page: health, trusted certificates, recent events, staff actions. */
import type { TrustedCertificate } from '../../lib/contracts/connection';
import type { TenantDetail } from '../../lib/onboarding/tenants';
import { html, type SafeHtml } from './html';
import { when } from './onboarding';

type Connection = NonNullable<TenantDetail['connection']>;

const HEALTH_COLOURS: Record<string, string> = {
  healthy: '#e7f6ec',
  'cert-rolled': '#e7f0fb',
  'cert-expiring': '#fff4d6',
  failing: '#fde8e8',
  paused: '#eee',
};

const action = (d: TenantDetail, csrf: string, name: string, label: string, fields: SafeHtml | string = '', kind = '') =>
  html`<form method="post" action="/staff/tenants/${d.tenantId}/connection/${name}" data-action="connection-${name}"><input type="hidden" name="_csrf" value="${csrf}">${fields}<button class="${kind}">${label}</button></form>`;

function certificateStatus(c: TrustedCertificate): SafeHtml | string {
  if (Date.parse(c.notAfter) <= Date.now()) return 'expired';
  if (c.unpublishedAt) return html`no longer published (since ${when(c.unpublishedAt)}), trusted until it expires`;
  if (c.stagedAt && !c.provenAt) return html`staged ${when(c.stagedAt)}, not used by a sign-in yet`;
  if (c.provenAt) return html`in use since ${when(c.provenAt)} (rollover proven)`;
  return 'current';
}

export function connectionCard(d: TenantDetail, csrf: string): SafeHtml {
  const conn = d.connection as Connection;
  const s = conn.state;
  const health = s?.health ?? conn.health;
  const header = html`<h2>SSO connection ${health ? html`<span class="pill" id="connection-health" data-health="${health}" style="background:${HEALTH_COLOURS[health] ?? '#eee'}">${health}</span>` : ''}</h2>
<p class="muted">Workflow ${conn.workflowId}: ${conn.status?.toLowerCase() ?? 'none'} · <a href="${conn.temporalUrl}" target="_blank" rel="noopener">open in Temporal UI ↗</a></p>`;
  if (!s)
    return html`<div class="card" id="connection">${header}<p class="notice error">${conn.error ?? 'No running connection workflow: a worker starts one for every live tenant when it starts.'}</p></div>`;
  return html`<div class="card" id="connection">${header}
${s.problem ? html`<div class="notice error" id="connection-problem">${s.problem.message} (since ${when(s.problem.at)})</div>` : ''}
${s.paused ? html`<div class="notice" id="connection-paused">Paused by ${s.paused.by} on ${when(s.paused.at)}: ${s.paused.reason}</div>` : ''}
<table>
<tr><th style="width:220px">Trusted signing certificates</th><td>${s.certificates.map((c) => html`<div data-thumbprint="${c.thumbprint}"><code>${c.thumbprint}</code> <span class="muted">expires ${c.notAfter.slice(0, 10)}: ${certificateStatus(c)}</span></div>`)}</td></tr>
<tr><th>Last metadata refresh</th><td id="connection-last-refresh">${s.lastRefresh ? html`${s.lastRefresh.outcome} ${when(s.lastRefresh.at)} (${s.lastRefresh.trigger}): ${s.lastRefresh.message}` : 'none yet'}</td></tr>
<tr><th>Next refresh</th><td>${s.paused ? 'paused' : when(s.nextRefreshAt)}</td></tr>
<tr><th>Expiry warnings sent</th><td>${s.warningsSent.join(', ') || 'none'}</td></tr>
</table>
<h3>Recent events</h3><table>${[...s.events]
    .reverse()
    .slice(0, 10)
    .map(
      (e) => html`<tr><td class="muted" style="width:170px">${when(e.at)}</td><td>${e.event}</td><td class="muted">${e.by ?? ''}</td></tr>`,
    )}</table>
${action(d, csrf, 'refresh', 'Refresh metadata now', '', 'secondary')}
${s.paused ? action(d, csrf, 'resume', 'Resume') : action(d, csrf, 'pause', 'Pause', html`<label for="pause-reason">Reason</label><input id="pause-reason" name="reason" minlength="10" required>`, 'secondary')}
${s.certificates.some((c) => c.unpublishedAt) ? action(d, csrf, 'retire', 'Retire certificate', html`<label for="retire-thumbprint">Certificate</label><select id="retire-thumbprint" name="thumbprint">${s.certificates.filter((c) => c.unpublishedAt).map((c) => html`<option value="${c.thumbprint}">${c.thumbprint}</option>`)}</select><label for="retire-reason">Reason</label><input id="retire-reason" name="reason" minlength="10" required>`, 'danger') : ''}
</div>`;
}
