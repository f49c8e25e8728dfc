/** The tenancy admin portal's Progress page: the onboarding as a stepper, and the checklist with its evidence. */
import { TEST_ITEM_LABELS } from '../../lib/contracts/onboarding-checklist';
import type { OnboardingState } from '../../lib/contracts/onboarding-state';
import type { TenantDetail } from '../../lib/onboarding/tenants';
import { progressSteps, type ProgressStep } from '../../lib/portal/progress';
import { html, type SafeHtml } from './html';
import { stagePill } from './onboarding';
import { timeTag } from './time';

const WHO = { us: 'Entrada', them: 'your organisation' } as const;

function stepItem(step: ProgressStep): SafeHtml {
  const state =
    step.status === 'done'
      ? html`<span class="pill" style="background:#e7f6ec">done</span>`
      : step.status === 'current'
        ? html`<span class="pill" data-waiting-on="${step.waitingOn}">waiting on ${WHO[step.waitingOn!]}</span> <span class="muted">${step.waitingFor}</span>`
        : html`<span class="muted">to do</span>`;
  return html`<li data-stage="${step.stage}" data-status="${step.status}"${step.status === 'current' ? html` aria-current="step"` : ''}><strong>${step.label}</strong> ${state}</li>`;
}

export function checklistCard(s: OnboardingState): SafeHtml {
  return html`<div class="card" id="checklist"><h2>Test checklist</h2><table>
<thead><tr><th>Item</th><th>Evidence</th></tr></thead>
<tbody>${s.checklist.map(
    (e) => html`<tr data-item="${e.item}" data-ticked="${String(e.evidence.length > 0)}"><td>${TEST_ITEM_LABELS[e.item]}</td>
<td>${e.evidence.length ? e.evidence.map((ev) => html`<div>${timeTag(ev.at)}: ${ev.summary}${ev.email ? html` (${ev.email})` : ''}</div>`) : html`<span class="pill">waiting</span>`}</td></tr>`,
  )}</tbody></table></div>`;
}

export function portalProgressView(d: TenantDetail, more: SafeHtml | string = ''): SafeHtml {
  const s = d.state;
  const name = s?.input.orgName ?? d.tenant?.name ?? d.tenantId;
  const stage = s?.stage ?? d.tenant?.stage ?? 'requested';
  return html`<h1>${name} <span id="stage">${stagePill(stage)}</span></h1>
<div class="card" id="progress"><h2>Progress</h2>
${
  s
    ? html`${s.stage === 'cancelled' ? html`<p class="notice error">This onboarding was cancelled.</p>` : ''}<ol class="stepper">${progressSteps(s).map(stepItem)}</ol>`
    : html`<p class="notice error">${d.stateError ?? 'The onboarding state is not available right now.'}</p>`
}</div>
${s ? checklistCard(s) : ''}
${more}`;
}
