/**
 * A tenancy's domain proofs: what the customer publishes, each proof's status and last check,
 * and, given actions, the forms: staff (the console) check, override and propose; a tenancy admin
 * (the portal's Domains page) checks and proposes. Without actions (the portal's Progress) read-only.
 */
import type { ProofView } from '../../lib/domains/proofs';
import { html, type SafeHtml } from './html';
import { timeTag } from './time';

export interface ProofActions {
  csrf: string;
  /** Where the forms post: `/staff/tenants/<tid>/domain-proofs` or `/portal/<tid>/domains`. */
  base: string;
  /** Staff only: settle a pending proof on their word. */
  override: boolean;
}

export const staffProofActions = (tenantId: string, csrf: string): ProofActions => ({
  csrf,
  base: `/staff/tenants/${tenantId}/domain-proofs`,
  override: true,
});

export function domainProofsCard(proofs: ProofView[], acts?: ProofActions): SafeHtml {
  const csrf = acts?.csrf;
  const form = (token: string, path: string, label: string, fields: SafeHtml | string = '', kind = 'secondary') =>
    html`<form method="post" action="${acts!.base}${path}"><input type="hidden" name="_csrf" value="${token}">${fields}<button class="${kind}">${label}</button></form>`;
  const actions = (cell: (token: string) => SafeHtml | string) => (csrf === undefined ? '' : html`<td>${cell(csrf)}</td>`);
  return html`<div class="card" id="domain-proofs"><h2>Domain proofs (DNS)</h2>
<p class="muted">The customer publishes the TXT record on the domain; it is re-checked on a schedule until verified or expired.</p>
<table><thead><tr><th>Domain</th><th>Status</th><th>TXT record to publish</th><th>Last check</th>${csrf === undefined ? '' : html`<th>Actions</th>`}</tr></thead><tbody>
${proofs.map(
  (p) => html`<tr data-domain="${p.domain}" data-status="${p.status}"><td>${p.domain}</td>
<td><span class="pill">${p.status}</span>${p.status === 'pending' ? html`<div class="muted">until ${timeTag(p.expiresAt)}</div>` : ''}${p.override ? html`<div class="muted">by ${p.override.by}: ${p.override.reason}</div>` : ''}${p.refusal ? html`<div class="muted">${p.refusal}</div>` : ''}</td>
<td><code>${p.record.value}</code></td>
<td>${p.lastCheck ? html`<span data-outcome="${p.lastCheck.outcome ?? ''}">${p.lastCheck.outcome}</span> ${timeTag(p.lastCheck.at)}<div class="muted">${p.lastCheck.detail} (${p.lastCheck.ms} ms)</div>` : html`<span class="muted">not yet</span>`}</td>
${actions((token) =>
  p.status === 'pending'
    ? html`${form(token, `/${p.domain}/check`, 'Check now')}${
        acts!.override
          ? form(
              token,
              `/${p.domain}/override`,
              'Override',
              html`<label for="override-${p.domain}">Reason</label><input id="override-${p.domain}" name="reason" minlength="10" required>`,
            )
          : ''
      }`
    : p.status === 'expired'
      ? form(token, '', 'Propose again', html`<input type="hidden" name="domain" value="${p.domain}">`)
      : '',
)}</tr>`,
)}</tbody></table>
${proofs.length === 0 ? html`<p class="muted">No domain proposed yet.</p>` : ''}
${csrf === undefined ? '' : form(csrf, '', 'Propose domain', html`<label for="proof-domain">Domain to prove</label><input id="proof-domain" name="domain" placeholder="contoso.com" required>`, '')}</div>`;
}
