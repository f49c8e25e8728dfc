/** Staff console pages for SCIM provisioning: the tenancies, and one tenancy's secrets, brakes and deprovisionings. */
import type { ProvisioningOverview } from '../../lib/scim/console';
import type { IssuedScimToken } from '../../lib/scim/tokens';
import { html, type SafeHtml } from './html';
import { stagePill, when } from './onboarding';

export function provisioningListView(rows: { tenantId: string; name: string; validTokens: number }[]): SafeHtml {
  return html`<h1>Provisioning (SCIM)</h1>
<div class="card"><table id="provisioning-tenancies"><thead><tr><th>Tenancy</th><th>Valid SCIM secrets</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td><a href="/staff/provisioning/${r.tenantId}">${r.name}</a><div class="muted">${r.tenantId}</div></td><td>${r.validTokens}</td></tr>`)}</tbody></table>
${rows.length === 0 ? html`<p class="muted">No tenancy provisions by SCIM yet. Open a tenancy's page (/staff/provisioning/&lt;tenant ID&gt;) to issue its first secret.</p>` : ''}</div>`;
}

const form = (csrf: string, action: string, label: string, fields: SafeHtml | string = '', cls = '') =>
  html`<form method="post" action="${action}" style="display:inline-block;margin-right:8px"><input type="hidden" name="_csrf" value="${csrf}">${fields}<button class="${cls}">${label}</button></form>`;
const reason = html`<input name="reason" placeholder="reason (kept in the audit trail)" required minlength="5" style="width:260px">`;

export function provisioningView(o: ProvisioningOverview, csrf: string, issued?: IssuedScimToken): SafeHtml {
  const base = `/staff/provisioning/${o.tenantId}`;
  const s = o.settings;
  return html`<p><a href="/staff/provisioning">← Provisioning</a> · <a href="/api/staff/provisioning/${o.tenantId}">JSON</a></p><h1>${o.name}: provisioning</h1>
${issued ? html`<div class="notice success" role="status" id="issued-secret"><strong>New SCIM secret — copy it now, it is not shown again:</strong><pre style="white-space:pre-wrap">${issued.token}</pre>${issued.rotated.length ? html`Older secrets keep working until ${when(issued.rotated[0].expiresAt)}.` : ''}</div>` : ''}
<div class="card"><p>Tenant URL for Entra (Provisioning → Admin credentials): <code>${o.scimUrl}</code></p>
<p>Users ${o.counts.users} (inactive ${o.counts.inactive}), in quarantine ${o.counts.inQuarantine}. Quarantine ${Math.round(s.quarantineMs / 3_600_000)} h; safety valve over ${s.valvePercent} % per hour.</p>
${s.legalHold ? html`<div class="notice error" id="legal-hold">Legal hold since ${when(s.legalHold.at)} by ${s.legalHold.by}: ${s.legalHold.reason}</div>` : ''}
${s.purgesPaused ? html`<div class="notice error" id="purges-paused">Purges paused since ${when(s.purgesPaused.at)} by ${s.purgesPaused.by}: ${s.purgesPaused.reason}</div>` : ''}
${form(csrf, `${base}/tokens`, 'Issue a new secret (rotates the others)', html`<input name="label" placeholder="label" style="width:160px">`)}
${s.purgesPaused ? form(csrf, `${base}/resume-purges`, 'Resume purges', reason) : ''}
${s.legalHold ? form(csrf, `${base}/legal-hold`, 'Lift legal hold', html`${reason}<input type="hidden" name="lift" value="true">`) : form(csrf, `${base}/legal-hold`, 'Put the tenancy on legal hold', reason, 'danger')}
${form(csrf, `${base}/settings`, 'Save', html`<input name="quarantineDays" placeholder="quarantine days" style="width:150px"><input name="valvePercent" placeholder="valve %" style="width:100px">`, 'secondary')}</div>
<div class="card"><h2>Secrets</h2><table id="scim-tokens"><thead><tr><th>Secret</th><th>State</th><th>Created</th><th>Last used</th><th></th></tr></thead>
<tbody>${o.tokens.map(
    (
      t,
    ) => html`<tr><td><code>${t.hint}…</code> ${t.label ?? ''}</td><td>${t.state}${t.expiresAt ? html` <span class="muted">until ${when(t.expiresAt)}</span>` : ''}</td><td>${when(t.createdAt)} <span class="muted">${t.createdBy}</span></td><td>${when(t.lastUsedAt)}</td>
<td>${t.state === 'valid' || t.state === 'rotating' ? form(csrf, `${base}/tokens/${t.id}/revoke`, 'Revoke', '', 'danger') : ''}</td></tr>`,
  )}</tbody></table></div>
<div class="card"><h2>Deprovisionings</h2><table id="deprovisionings"><thead><tr><th>User</th><th>Stage</th><th>Started</th><th>Act</th></tr></thead>
<tbody>${o.deprovisionings.map(
    (
      d,
    ) => html`<tr data-user="${d.userId}"><td><a href="/staff/users/${d.userId}">${d.userId}</a> <a class="muted" href="${d.temporalUrl}" target="_blank" rel="noopener">workflow ↗</a></td><td>${stagePill(d.stage)}</td><td>${when(d.startedAt)}</td>
<td>${d.running && !['purging', 'purged', 'restored'].includes(d.stage) ? html`${form(csrf, `${base}/deprovisionings/${d.userId}/restore`, 'Restore', reason, 'secondary')}${form(csrf, `${base}/deprovisionings/${d.userId}/quarantine`, 'Set window', html`<input name="days" placeholder="days from now" style="width:120px">${reason}`, 'secondary')}` : ''}</td></tr>`,
  )}</tbody></table>
${o.deprovisionings.length === 0 ? html`<p class="muted">No user of this tenancy was deleted by SCIM.</p>` : ''}</div>
<div class="card"><h2>Reconciliation</h2>${o.report ? html`<pre id="reconciliation" style="white-space:pre-wrap">${JSON.stringify(o.report, null, 2)}</pre>` : html`<p class="muted">No report yet.</p>`}
${form(csrf, `${base}/reconcile`, 'Reconcile now', '', 'secondary')}</div>`;
}
