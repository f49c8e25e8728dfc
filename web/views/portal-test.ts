/** The portal's Test page (test sign-ins, the checklist) and its downloadable report. */
import type { OnboardingState } from '../../lib/contracts/onboarding-state';
import type { TestRun } from '../../lib/portal/test-sign-in';
import type { ConnectionKind } from '../../lib/contracts/connection-template';
import { refusalHint } from '../../lib/portal/refusal-hints';
import type { PortalTestReport } from '../../lib/portal/test-report';
import { html, type SafeHtml } from './html';
import { reportBody } from './onboarding';
import { checklistCard } from './portal';
import { timeTag } from './time';

function outcomePill(run: TestRun): SafeHtml {
  if (!run.result) return html`<span class="pill">no answer yet</span>`;
  return run.result.outcome === 'success'
    ? html`<span class="pill" style="background:#e7f6ec">succeeded</span>`
    : html`<span class="pill" style="background:#fdecea">refused: ${run.result.reason ?? ''}</span>`;
}

/** The run the admin just came back from (or the latest): what happened and, when refused, what to change. */
function resultCard(run: TestRun, kind: ConnectionKind): SafeHtml {
  const r = run.result;
  if (!r)
    return html`<div class="card" id="result" data-outcome="pending"><h2>Test sign-in result</h2><p>Started ${timeTag(run.startedAt)} by ${run.startedBy.email}: no answer from your IdP yet.</p></div>`;
  const who = r.email
    ? html`<p>Signed in at your IdP as <strong>${r.email}</strong>${r.displayName ? ` (${r.displayName})` : ''}${r.groups?.length ? html`, groups: ${r.groups.join(', ')}` : ''}.</p>`
    : '';
  if (r.outcome === 'success')
    return html`<div class="card" id="result" data-outcome="success"><h2>Test sign-in result</h2>
<p class="notice success">The test sign-in succeeded: this person could sign in to Entrada by SSO. (You stay signed in as yourself.)</p>${who}</div>`;
  const hint = refusalHint(r.reason, kind);
  return html`<div class="card" id="result" data-outcome="refused" data-reason="${r.reason ?? ''}"><h2>Test sign-in result</h2>
<p class="notice error">The test sign-in was refused: <code id="refusal-reason">${r.reason ?? ''}</code></p>
<p id="refusal-message">${r.message ?? ''}</p>${who}
${hint ? html`<p id="refusal-hint"><strong>What to change:</strong> ${hint}</p>` : ''}
${r.reference ? html`<p class="muted">Reference ${r.reference}</p>` : ''}</div>`;
}

function runsCard(runs: TestRun[]): SafeHtml {
  return html`<div class="card" id="test-runs"><h2>Recent test sign-ins</h2>
${
  runs.length
    ? html`<table><thead><tr><th>Started</th><th>By</th><th>Outcome</th><th>Signed in as</th></tr></thead><tbody>${runs.map(
        (run) =>
          html`<tr data-run="${run.id}"><td><a href="?run=${run.id}#result">${timeTag(run.startedAt)}</a></td><td>${run.startedBy.email}</td><td>${outcomePill(run)}</td><td>${run.result?.email ?? ''}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">None yet.</p>`
}</div>`;
}

export interface TestPageData {
  tenantId: string;
  name: string;
  /** The tenancy's kind of IdP: the hints name its settings. */
  kind: ConnectionKind;
  state?: OnboardingState;
  stateError?: string;
  runs: TestRun[];
  shown?: TestRun;
}

export function portalTestView(d: TestPageData, csrf: string): SafeHtml {
  const tid = d.tenantId;
  return html`<p><a href="/portal/${tid}">← ${d.name}</a></p>
<h1>Test ${d.name}</h1>
<div class="card" id="test-sign-in"><h2>Test sign-in</h2>
<p>Sign in at your identity provider with a test user. Entrada runs every check of a real sign-in and reports the outcome here, instead of signing that user in: you stay signed in as yourself.</p>
<p class="muted">A test sign-in creates no account, so the provisioning and migration items need real sign-ins of your test users, in a private window, at <a href="/saml/${tid}/login">the SSO sign-in</a>.</p>
<form method="post" action="/portal/${tid}/test/sign-in" data-action="test-sign-in"><input type="hidden" name="_csrf" value="${csrf}"><button>Start a test sign-in</button></form></div>
${d.shown ? resultCard(d.shown, d.kind) : ''}
${runsCard(d.runs)}
${d.state ? checklistCard(d.state) : html`<p class="notice error">${d.stateError ?? 'The onboarding state is not available right now.'}</p>`}
<div class="card" id="report"><h2>Test report</h2><p><a class="button secondary" href="/portal/${tid}/test/report.html" download>Download (HTML)</a> <a class="button secondary" href="/portal/${tid}/test/report.json" download>Download (JSON)</a></p></div>`;
}

/** The downloadable report: the staff report's body plus the test sign-ins. */
export function portalReportView(r: PortalTestReport): SafeHtml {
  return html`${reportBody(r)}
<div class="card"><h2>Test sign-ins</h2><table id="report-test-sign-ins"><thead><tr><th>Started</th><th>By</th><th>Outcome</th><th>Signed in as</th><th>Reason and what to change</th></tr></thead><tbody>${r.testSignIns.map(
    (t) =>
      html`<tr data-run="${t.id}" data-outcome="${t.outcome}"><td>${timeTag(t.startedAt)}</td><td>${t.startedBy}</td><td>${t.outcome}</td><td>${t.email ?? ''}</td><td>${t.reason ? html`<code>${t.reason}</code>: ${t.message ?? ''}<div>${t.hint ?? ''}</div>` : ''}</td></tr>`,
  )}</tbody></table>${r.testSignIns.length === 0 ? html`<p class="muted">None yet.</p>` : ''}</div>`;
}
