/** One tenant's onboarding in the staff console: where it stands, its history, and what staff can do now. */
import { missingMandatory, TEST_ITEM_LABELS } from '../../lib/contracts/onboarding-checklist';
import type { OnboardingState } from '../../lib/contracts/onboarding-state';
import { TEST_ITEMS } from '../../lib/contracts/shared';
import { CONNECTION_KIND_LABELS } from './connection-kinds';
import { html, type SafeHtml } from './html';
import type { TenantDetail } from '../../lib/onboarding/tenants';
import { age, stagePill, when } from './onboarding';
import { connectionCard } from './connection-card';
import { auditDetails } from './audit-details';

const action = (d: TenantDetail, csrf: string, name: string, label: string, fields: SafeHtml | string = '', kind = '') =>
  html`<form method="post" action="/staff/tenants/${d.tenantId}/${name}" data-action="${name}"><input type="hidden" name="_csrf" value="${csrf}">${fields}<button class="${kind}">${label}</button></form>`;

export function tenantPageView(d: TenantDetail, csrf: string, domainProofs: SafeHtml | string = ''): SafeHtml {
  const s = d.state;
  const name = s?.input.orgName ?? d.tenant?.name ?? d.tenantId;
  const stage = s?.stage ?? d.tenant?.stage ?? 'requested';
  return html`<p><a href="/staff/tenants">← Tenants</a></p>
<h1>${name} <span id="stage">${stagePill(stage)}</span></h1>
<div class="card"><table>
<tr><th style="width:220px">Entra tenant ID</th><td>${d.tenantId}</td></tr>
<tr><th>Waiting for</th><td id="waiting-for">${s?.waitingFor ?? ''}${s ? html` <span class="muted">(since ${when(s.stageSince)}, ${age(s.stageSince)})</span>` : ''}</td></tr>
<tr><th>Workflow</th><td>${d.workflowStatus?.toLowerCase() ?? 'none'} · <a id="temporal-link" href="${d.temporalUrl}" target="_blank" rel="noopener">open in Temporal UI ↗</a> · <a href="/staff/tenants/${d.tenantId}/report">test report</a></td></tr>
${s ? html`<tr><th>Admin contacts</th><td>${s.input.adminEmails.join(', ')}</td></tr>` : ''}
</table>${d.stateError ? html`<p class="notice error">${d.stateError}</p>` : ''}</div>
${d.connection ? connectionCard(d, csrf) : ''}
${s ? stageCards(d, s, csrf) : ''}
${domainProofs}
${d.tenant ? ssoPolicyCard(d, csrf, { requireMfa: d.tenant.requireMfa ?? false, allowIdpInitiated: d.tenant.allowIdpInitiated ?? false }) : ''}
${serviceProviderCard(d)}
${s ? timelineCard(s) : ''}
<div class="card"><h2>Audit trail</h2><table>${d.events.map((e) => html`<tr><td class="muted">${when(e.at)}</td><td>${e.action}</td><td><span class="pill">${e.outcome}</span></td><td>${auditDetails(e.details)}</td></tr>`)}</table></div>`;
}

function stageCards(d: TenantDetail, s: OnboardingState, csrf: string): SafeHtml {
  const open = !['live', 'cancelled'].includes(s.stage) && !s.goLive;
  const testPeriod = s.stage === 'testing' || s.stage === 'awaiting-go-live';
  return html`
${
  s.stage === 'awaiting-consent' || s.stage === 'consent-expired'
    ? html`<div class="card" id="consent"><h2>Admin consent</h2>
<p>Link round ${s.consent.round}, ${s.stage === 'consent-expired' ? 'expired' : 'expires'} ${when(s.consent.expiresAt)}; ${s.consent.remindersSent} reminder(s) sent${s.consent.nextReminderAt ? html`, next ${when(s.consent.nextReminderAt)}` : ''}.</p>
${action(d, csrf, 'reissue-consent', 'Re-issue consent link')}</div>`
    : ''
}
${['configuring', 'testing', 'awaiting-go-live'].includes(s.stage) ? metadataCard(d, s, csrf) : ''}
${
  testPeriod
    ? html`<div class="card" id="checklist"><h2>Test checklist</h2><table>
${s.checklist.map((e) => html`<tr data-item="${e.item}" data-ticked="${e.evidence.length > 0}"><td>${TEST_ITEM_LABELS[e.item]}</td><td>${e.evidence.length ? html`<span class="pill" style="background:#e7f6ec">✓ ${e.evidence[0].summary}</span>` : html`<span class="pill">waiting</span>`}</td></tr>`)}
</table>
${action(d, csrf, 'tick-test-item', 'Tick by hand', html`<label for="item">Item</label><select id="item" name="item">${TEST_ITEMS.map((i) => html`<option value="${i}">${i}</option>`)}</select><label for="reason">Reason (what you verified, and how)</label><input id="reason" name="reason" minlength="10" required>`, 'secondary')}</div>
<div class="card" id="domains"><h2>SSO domains</h2><p class="muted">Enforced when the tenant goes live.</p><table>${s.domains.map((dom) => html`<tr><td>${dom}</td><td>${action(d, csrf, 'remove-domain', 'Remove', html`<input type="hidden" name="domain" value="${dom}">`, 'secondary')}</td></tr>`)}</table>
${action(d, csrf, 'nominate-domain', 'Nominate domain', html`<label for="domain">Domain</label><input id="domain" name="domain" placeholder="contoso.com" required>`)}</div>
<div class="card" id="go-live"><h2>Go live</h2><p>${missingMandatory(s.checklist).length ? `Missing evidence: ${missingMandatory(s.checklist).join(', ')}.` : 'Every mandatory test item has evidence.'}</p>
${action(d, csrf, 'go-live', 'Approve go-live', html`<label for="overrideReason">Override reason (only if evidence is missing)</label><input id="overrideReason" name="overrideReason">`)}</div>`
    : ''
}
${s.goLive ? html`<div class="card"><h2>Go-live</h2><p>Approved by ${s.goLive.approvedBy} on ${when(s.goLive.at)}${s.goLive.overrideReason ? `, overriding: ${s.goLive.overrideReason}` : ''}.</p></div>` : ''}
${open ? html`<div class="card" id="cancel"><h2>Cancel onboarding</h2>${action(d, csrf, 'cancel', 'Cancel onboarding', html`<label for="cancel-reason">Reason</label><input id="cancel-reason" name="reason" minlength="10" required>`, 'danger')}</div>` : ''}`;
}

function metadataCard(d: TenantDetail, s: OnboardingState, csrf: string): SafeHtml {
  const kind = s.input.connection?.kind ?? 'entra';
  // Entra publishes metadata per tenant; any other IdP gives the customer a metadata URL (or file).
  const fetchForm =
    kind === 'entra'
      ? action(
          d,
          csrf,
          'fetch-metadata',
          'Fetch metadata from Entra',
          html`<label for="appId">Application ID (optional, adds ?appid=)</label><input id="appId" name="appId" value="${s.input.appId ?? ''}">`,
          'secondary',
        )
      : action(
          d,
          csrf,
          'fetch-idp-metadata',
          'Fetch metadata from its URL',
          html`<label for="idpMetadataUrl">The IdP's metadata URL (${kind === 'okta' ? 'Okta: the app\'s Sign On tab, "Identity Provider metadata"' : 'https'})</label><input id="idpMetadataUrl" name="url" type="url" required>`,
          'secondary',
        );
  return html`<div class="card" id="metadata"><h2>Identity provider (${CONNECTION_KIND_LABELS[kind]})</h2>
${s.metadataError ? html`<div class="notice error" id="metadata-error">Last import refused (${when(s.metadataError.at)}): ${s.metadataError.message}</div>` : ''}
${
  s.saml
    ? html`<table><tr><th style="width:220px">IdP entity ID</th><td>${s.saml.idpEntityId}</td></tr><tr><th>SSO URL</th><td>${s.saml.ssoUrl}</td></tr><tr><th>Logout URL</th><td>${s.saml.sloUrl ?? ''}</td></tr>
<tr><th>Signing certificates</th><td>${s.saml.certificates.map((c) => html`<div><code>${c.thumbprint}</code> <span class="muted">${c.subject}, expires ${c.notAfter.slice(0, 10)}</span></div>`)}</td></tr>
<tr><th>Imported</th><td>${when(s.saml.importedAt)} from ${s.saml.source}</td></tr></table>`
    : html`<p class="muted">No metadata imported yet.</p>`
}
${fetchForm}
${action(d, csrf, 'upload-metadata', 'Upload metadata XML', html`<label for="xml-file">Federation metadata XML file</label><input type="file" id="xml-file" accept=".xml,text/xml"><label for="xml">…or its XML</label><textarea id="xml" name="xml" rows="4" required placeholder="…or paste the XML here"></textarea>`, 'secondary')}
<script>document.getElementById('xml-file').addEventListener('change', (e) => { const f = e.target.files[0]; if (f) f.text().then((t) => { document.getElementById('xml').value = t; }); });</script></div>`;
}

function ssoPolicyCard(d: TenantDetail, csrf: string, policy: { requireMfa: boolean; allowIdpInitiated: boolean }): SafeHtml {
  const toggle = (name: keyof typeof policy, on: string, off: string) =>
    html`<form method="post" action="/staff/tenants/${d.tenantId}/sso-policy" data-action="sso-policy-${name}"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="${name}" value="${policy[name] ? 'false' : 'true'}"><button class="secondary">${policy[name] ? off : on}</button></form>`;
  return html`<div class="card" id="sso-policy"><h2>SSO policy</h2><p>Multi-factor authentication: <strong id="mfa-policy">${policy.requireMfa ? 'required' : 'not required'}</strong></p>
${toggle('requireMfa', 'Require MFA', 'Stop requiring MFA')}
<p>Sign-in started at Entra (My Apps, IdP-initiated): <strong id="idp-initiated-policy">${policy.allowIdpInitiated ? 'accepted' : 'refused'}</strong></p>
${toggle('allowIdpInitiated', 'Accept IdP-initiated sign-in', 'Refuse IdP-initiated sign-in')}</div>`;
}

function serviceProviderCard(d: TenantDetail): SafeHtml {
  return html`<div class="card" id="service-provider"><h2>For the customer's Entra enterprise app</h2><table>
<tr><th style="width:220px">Identifier (Entity ID)</th><td>${d.sp.entityId}</td></tr><tr><th>Reply URL (ACS)</th><td>${d.sp.acsUrl}</td></tr>
<tr><th>Logout URL</th><td>${d.sp.sloUrl}</td></tr><tr><th>SP metadata</th><td><a id="sp-metadata" href="${d.sp.metadataUrl}">${d.sp.metadataUrl}</a></td></tr></table></div>`;
}

function timelineCard(s: OnboardingState): SafeHtml {
  return html`<div class="card" id="timeline"><h2>Timeline</h2><table>${[...s.timeline].reverse().map((t) => html`<tr><td class="muted" style="width:170px">${when(t.at)}</td><td>${t.stage ? html`${stagePill(t.stage)} ` : ''}${t.event}</td><td class="muted">${t.by ?? ''}</td></tr>`)}</table></div>`;
}
