import type { StreamConfigView } from '../../lib/audit-stream/config';
import type { TestEventResult } from '../../lib/audit-stream/test-event';
import type { StreamStatus } from '../../lib/contracts/audit-stream';
import type { quarantinedEvents } from '../../lib/audit-stream/progress';
import type { issuePullToken, listPullTokens } from '../../lib/audit-stream/pull-tokens';
import { html, type SafeHtml } from './html';
import { timeTag } from './time';

/** Pages of the audit streams: the staff console's (web/routes/staff/audit-streams.ts) and a tenancy's own in the admin portal (Logging). */

export function streamListView(streams: StreamConfigView[]): SafeHtml {
  return html`<h1>Audit streams</h1>
<p class="muted">Each tenancy's audit events, streamed to its own Log Analytics workspace (Microsoft Sentinel) through the Logs Ingestion API.</p>
<div class="card"><table><thead><tr><th>Tenant</th><th>Stream</th><th>Level</th><th>State</th><th>Delivered</th><th>Quarantined</th></tr></thead>
<tbody>${streams.map(
    (s) => html`<tr><td><a href="/staff/audit-streams/${s.tenantId}">${s.tenantId}</a></td><td>${s.streamName}</td><td>${s.level}</td>
<td><span class="pill" data-state="${s.progress.state}">${s.enabled ? s.progress.state : 'off'}</span>${s.progress.reason ? html` <span class="muted">${s.progress.reason}</span>` : ''}</td>
<td>${s.progress.delivered}</td><td>${s.progress.quarantined}</td></tr>`,
  )}</tbody></table>
${streams.length === 0 ? html`<p class="muted">No tenancy streams its audit events yet.</p>` : ''}</div>
<form class="card" method="get" action="/staff/audit-streams/configure"><label for="tid">Configure a stream for tenant ID</label><input id="tid" name="tid" placeholder="6f1d2c3b-4a59-4e68-9d7c-0a1b2c3d4e5f"><button>Open</button></form>`;
}

type FormValues = Partial<Record<'endpoint' | 'dcrImmutableId' | 'streamName' | 'directoryId' | 'clientId' | 'level', string>> & {
  enabled?: boolean;
};

export interface StreamPageExtras {
  values?: FormValues;
  test?: TestEventResult;
  /** The running workflow's own account (absent when none runs; `not-answering` when no worker answered). */
  status?: StreamStatus | 'not-answering';
  quarantine?: Awaited<ReturnType<typeof quarantinedEvents>>;
  tokens?: Awaited<ReturnType<typeof listPullTokens>>;
  /** A token just issued: shown this once. */
  issued?: Awaited<ReturnType<typeof issuePullToken>>;
}

/** Where one tenancy's stream page lives (its forms post there) and what its heading says. */
export interface StreamPageAt {
  base: string;
  title: string;
  back?: { href: string; label: string };
}

export const staffStreamPageAt = (tenantId: string): StreamPageAt => ({
  base: `/staff/audit-streams/${tenantId}`,
  title: `Audit stream of ${tenantId}`,
  back: { href: '/staff/audit-streams', label: 'Audit streams' },
});

export function streamPageView(
  tenantId: string,
  current: StreamConfigView | undefined,
  csrf: string,
  opts: StreamPageExtras = {},
  at: StreamPageAt = staffStreamPageAt(tenantId),
): SafeHtml {
  const v: FormValues = opts.values ??
    current ?? { directoryId: tenantId, streamName: 'Custom-EntradaAudit_CL', level: 'standard', enabled: true };
  const field = (name: keyof FormValues, label: string, hint: string) =>
    html`<label for="${name}">${label}</label><input id="${name}" name="${name}" value="${String(v[name] ?? '')}" required><p class="muted">${hint}</p>`;
  return html`${at.back ? html`<p><a href="${at.back.href}">← ${at.back.label}</a></p>` : ''}<h1>${at.title}</h1>
${current ? statusCard(current, opts.status) : ''}
${opts.quarantine?.length ? quarantineCard(opts.quarantine) : ''}
${opts.test ? testCard(opts.test) : ''}
<form class="card" method="post" action="${at.base}">
<input type="hidden" name="_csrf" value="${csrf}">
${field('endpoint', 'Logs Ingestion endpoint', "The data collection endpoint (DCE) or the DCR's ingestion URL, e.g. https://entrada-dce.westeurope-1.ingest.monitor.azure.com")}
${field('dcrImmutableId', 'DCR immutable ID', 'dcr- followed by 32 hex digits (the DCR\'s JSON view, "immutableId")')}
${field('streamName', 'Stream name', 'As declared in the DCR, e.g. Custom-EntradaAudit_CL')}
${field('directoryId', 'Directory (tenant) ID of the app', "The customer's Entra directory that holds the app")}
${field('clientId', 'Application (client) ID', 'The app that has the Monitoring Metrics Publisher role on the DCR')}
<label for="clientSecret">Client secret</label><input id="clientSecret" name="clientSecret" type="password" autocomplete="off" ${current ? '' : 'required'}>
<p class="muted">${current ? `A secret is set (since ${current.clientSecret.setAt}); it is never shown again. Leave empty to keep it.` : 'Stored encrypted; never shown again.'}</p>
<label for="level">Level</label><select id="level" name="level">${(['standard', 'extended'] as const).map((l) => html`<option value="${l}" ${v.level === l ? 'selected' : ''}>${l === 'standard' ? 'standard (no file names)' : 'extended (file names included)'}</option>`)}</select>
<label><input type="checkbox" name="enabled" style="width:auto" ${v.enabled ? 'checked' : ''}> Stream on</label>
<button>Save</button></form>
${
  current
    ? html`<form class="card" method="post" action="${at.base}/test"><input type="hidden" name="_csrf" value="${csrf}">
<p>Sends one row marked <code>EntradaTestEvent</code> through the real path (a fresh token, then the ingestion call) and shows the exact answer.</p><button class="secondary" id="send-test-event">Send test event</button></form>`
    : ''
}
${tokensCard(tenantId, csrf, opts, at.base)}`;
}

function tokensCard(tenantId: string, csrf: string, opts: StreamPageExtras, base: string): SafeHtml {
  return html`<div class="card"><h2>Pull API tokens</h2>
<p class="muted">For SIEMs that poll: <code>GET /api/tenancies/${tenantId}/audit-events?after=&lt;cursor&gt;&amp;limit=</code> with <code>Authorization: Bearer &lt;token&gt;</code>. Read-only, this tenancy only.</p>
${opts.issued ? html`<p class="notice success">Token for ${opts.issued.label} (copy it now, it is not shown again): <code id="issued-token">${opts.issued.token}</code></p>` : ''}
<table><thead><tr><th>Label</th><th>Level</th><th>Issued</th><th>Action</th></tr></thead><tbody>
${(opts.tokens ?? []).map(
  (t) => html`<tr><td>${t.label}</td><td>${t.level}</td><td class="muted">${t.createdAt}${t.createdBy ? ` by ${t.createdBy}` : ''}</td>
<td>${t.revokedAt ? html`<span class="pill">revoked ${t.revokedAt}</span>` : html`<form method="post" action="${base}/pull-tokens/${t.id}/revoke" style="margin:0"><input type="hidden" name="_csrf" value="${csrf}"><button class="danger" style="margin:0">Revoke</button></form>`}</td></tr>`,
)}
</tbody></table>
<form method="post" action="${base}/pull-tokens" style="display:flex;gap:8px;align-items:end"><input type="hidden" name="_csrf" value="${csrf}">
<div style="flex:2"><label for="label">Who uses it</label><input id="label" name="label" placeholder="Splunk prod" required></div>
<div style="flex:1"><label for="token-level">Level</label><select id="token-level" name="level"><option value="standard">standard</option><option value="extended">extended</option></select></div>
<button>Issue token</button></form></div>`;
}

function statusCard(s: StreamConfigView, live?: StreamStatus | 'not-answering'): SafeHtml {
  const p = s.progress;
  return html`<div class="card"><h2>Status</h2>
<p>State: <span class="pill" id="stream-state" data-state="${p.state}">${s.enabled ? p.state : 'off'}</span> ${p.reason ? html`<span id="stream-reason">${p.reason}</span>` : ''}</p>
<p>Delivered: <strong>${p.delivered}</strong> events (up to seq ${p.cursor})${p.deliveredAt ? html` <span class="muted">last at ${p.deliveredAt}</span>` : ''} · Quarantined: <strong>${p.quarantined}</strong></p>
${live === 'not-answering' ? html`<p class="muted" id="stream-not-answering">The stream workflow did not answer: is a worker polling the stream task queue?</p>` : live ? html`<p>Backlog: <strong id="stream-backlog">${live.backlog}</strong> events · lag <strong>${live.lagSeconds}</strong> s${live.retryAt ? html` · next attempt ${live.retryAt}` : ''} <span class="muted">(as of the stream's last round)</span></p>` : html`<p class="muted">No stream workflow is running.</p>`}</div>`;
}

function quarantineCard(events: NonNullable<StreamPageExtras['quarantine']>): SafeHtml {
  return html`<div class="card"><h2>Quarantined events</h2><p class="muted">The workspace refused these; the stream went on without them.</p>
<table><thead><tr><th>Seq</th><th>Event</th><th>Status</th><th>Answer</th><th>At</th></tr></thead>
<tbody>${events.map((q) => html`<tr><td>${q.seq}</td><td><code>${q.eventId}</code></td><td>${q.status}</td><td><code>${q.error}</code></td><td class="muted">${timeTag(q.at)}</td></tr>`)}</tbody></table></div>`;
}

function testCard(t: TestEventResult): SafeHtml {
  return html`<div class="card" id="test-result" data-ok="${String(t.ok)}"><h2>Test event: ${t.ok ? 'delivered' : 'refused'}</h2>
<table><tr><th>Step</th><td>${t.step}</td></tr><tr><th>URL</th><td><code>${t.url}</code></td></tr>
<tr><th>HTTP status</th><td id="test-status">${t.status === 0 ? `no answer (${t.error})` : String(t.status)}</td></tr>
${t.body ? html`<tr><th>Body</th><td><code>${t.body}</code></td></tr>` : ''}
${t.requestId ? html`<tr><th>x-ms-request-id</th><td>${t.requestId}</td></tr>` : ''}
${t.retryAfter ? html`<tr><th>Retry-After</th><td>${t.retryAfter}</td></tr>` : ''}
<tr><th>Took</th><td>${t.durationMs} ms</td></tr>${t.explanation ? html`<tr><th>Meaning</th><td>${t.explanation}</td></tr>` : ''}</table></div>`;
}
