/** Staff console pages for onboarding: the tenant list and the test report (the start form: start-onboarding.ts). */
import { html, type SafeHtml } from './html';
import { timeTag } from './time';
import type { TenantRow, TestReport } from '../../lib/onboarding/tenants';
import type { ConsentStatus } from '../../lib/onboarding/tenant-progress';

export const stagePill = (stage: string) => html`<span class="pill" data-stage="${stage}">${stage}</span>`;
/** A timestamp in the house format (web/views/time.ts). */
export const when = timeTag;

export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} days`;
}

function consentCell(c: ConsentStatus): SafeHtml | string {
  if (c.status === 'granted') return html`granted ${timeTag(c.at)}`;
  if (c.status === 'awaiting') return html`awaiting (link ${c.round}${c.expiresAt ? html`, expires ${timeTag(c.expiresAt)}` : ''})`;
  if (c.status === 'expired') return html`expired ${timeTag(c.expiresAt)}`;
  return html`<span class="muted">not asked yet</span>`;
}

/** Ready for go-live once every mandatory item has evidence; live tenants passed it. */
function checklistCell(r: TenantRow): SafeHtml | string {
  if (r.stage === 'live') return 'passed';
  const c = r.checklist;
  if (!c) return html`<span class="muted">not testing</span>`;
  const ready = c.mandatoryDone === c.mandatory;
  return html`<span data-ready="${ready}">${c.mandatoryDone} of ${c.mandatory} required</span>${c.optionalDone ? html` <span class="muted">+${c.optionalDone} optional</span>` : ''}${ready ? html` <span class="pill">ready for go-live</span>` : ''}`;
}

export function tenantListView(rows: TenantRow[]): SafeHtml {
  return html`<div style="display:flex;justify-content:space-between;align-items:center"><h1>Tenants</h1><a class="button" id="new-onboarding" href="/staff/tenants/new">Start onboarding</a></div>
<div class="card"><table id="tenants">
<thead><tr><th>Organisation</th><th>Stage</th><th>Consent</th><th>Checklist</th><th>Waiting for</th><th>Age</th><th>In stage</th><th>Temporal</th></tr></thead>
<tbody>${rows.map(
    (
      r,
    ) => html`<tr data-tenant="${r.tenantId}"><td><a href="/staff/tenants/${r.tenantId}">${r.name}</a><div class="muted">${r.tenantId}</div></td>
<td>${stagePill(r.stage)}${r.workflowStatus && r.workflowStatus !== 'RUNNING' ? html` <span class="muted">${r.workflowStatus.toLowerCase()}</span>` : ''}</td>
<td class="consent" data-consent="${r.consent.status}">${consentCell(r.consent)}</td><td class="checklist">${checklistCell(r)}</td>
<td>${r.waitingFor}</td><td>${age(r.startedAt)}</td><td>${age(r.stageSince)}</td>
<td>${r.temporalUrl ? html`<a href="${r.temporalUrl}" target="_blank" rel="noopener">workflow ↗</a>` : html`<span class="muted">none</span>`}</td></tr>`,
  )}</tbody></table>
${rows.length === 0 ? html`<p class="muted">No tenants yet. Start an onboarding to connect a customer's Entra tenant.</p>` : ''}</div>`;
}

export function reportView(r: TestReport): SafeHtml {
  return html`<p><a href="/staff/tenants/${r.tenantId}">← ${r.orgName}</a> · <a href="/api/staff/tenants/${r.tenantId}/report">JSON</a></p>
${reportBody(r)}`;
}

/** The report itself, shared by the staff console and the portal's download. */
export function reportBody(r: TestReport): SafeHtml {
  return html`<h1>Test report: ${r.orgName}</h1>
<div class="card"><p>Tenant ${r.tenantId} · stage ${stagePill(r.stage)} · generated ${when(r.generatedAt)}</p>
<p>SSO domains: ${r.domains.join(', ') || 'none'}</p>
${r.goLive ? html`<p><strong>Go-live approved</strong> by ${r.goLive.approvedBy} on ${when(r.goLive.at)}${r.goLive.overrideReason ? html`, <strong>overriding</strong> missing evidence for ${r.goLive.missingAtApproval.join(', ') || 'nothing'}: “${r.goLive.overrideReason}”` : ''}.</p>` : html`<p class="muted">Go-live not approved yet.</p>`}</div>
<div class="card"><h2>Checklist</h2><table id="report-checklist">
<thead><tr><th>Item</th><th>Result</th><th>Evidence</th></tr></thead>
<tbody>${r.checklist.map(
    (e) => html`<tr data-item="${e.item}"><td>${e.label}${e.mandatory ? '' : html` <span class="pill">optional</span>`}</td>
<td>${e.ticked ? html`<span class="pill" style="background:#e7f6ec">passed</span>` : html`<span class="pill">no evidence</span>`}</td>
<td>${e.evidence.map((ev) => html`<div>${when(ev.at)}: ${ev.summary}${ev.email ? html` (${ev.email})` : ''}${ev.staff ? html` <span class="pill">staff: ${ev.staff.email}</span>` : ''}<div class="muted">audit ${ev.auditEventIds.join(', ')}</div></div>`)}</td></tr>`,
  )}</tbody></table></div>
<div class="card"><h2>Cited audit events</h2><table>${r.auditEvents.map((a) => html`<tr><td class="muted">${a.id}</td><td>${when(a.at)}</td><td>${a.action}</td><td><span class="pill">${a.outcome}</span></td><td>${a.actor?.email ?? a.actor?.kind ?? ''}</td></tr>`)}</table>
${r.auditEvents.length === 0 ? html`<p class="muted">None yet.</p>` : ''}</div>`;
}
