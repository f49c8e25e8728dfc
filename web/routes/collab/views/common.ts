import { html, type SafeHtml } from '../../../views/html';
import { timeTag } from '../../../views/time';
import type { Person } from '../../../../lib/collab/people';

export { formatBytes } from '../../../../lib/collab/file-storage';

/** Layout bits the collaboration pages share on top of the house styles in layout.ts. */
export const collabStyles = html`<style>
.row{display:flex;gap:8px;align-items:flex-end;flex-wrap:wrap}.row>*{flex:1;min-width:160px}.row>button,.row>.button{flex:0 0 auto;margin-top:0}
.inline{display:inline-flex;gap:6px;align-items:center;margin:0}.inline input,.inline select{width:auto;padding:5px 8px}.inline button{margin:0;padding:5px 12px}
td form{margin:0}details summary{cursor:pointer;color:#2f5bea}main a{color:#2f5bea}main a.button{color:#fff}
details .panel{display:grid;gap:6px;width:300px;margin-top:6px;padding:8px;background:#f8f9fb;border:1px solid #e3e6eb;border-radius:6px;text-align:left}
details .panel form{display:flex;gap:6px}details .panel input{flex:1 1 0;width:0}.spaced{margin-top:16px}
.actions{white-space:nowrap;text-align:right}.nowrap{white-space:nowrap}.empty{color:#667085;padding:12px 0}
.thread{list-style:none;margin:0 0 12px;padding:0;max-height:420px;overflow:auto}.thread li{padding:8px 0;border-bottom:1px solid #eef0f3}
.thread .body{white-space:pre-wrap;margin-top:2px}.head{display:flex;justify-content:space-between;align-items:center;gap:12px}.head h1,.head h2{margin:0}
dl.meta{display:grid;grid-template-columns:140px 1fr;gap:6px 12px;margin:0 0 8px}dl.meta dt{color:#667085}dl.meta dd{margin:0}
</style>`;

/** A timestamp in the house format: the viewer's zone, UTC on hover (web/views/time.ts). */
export const when = timeTag;

export function personName(p: Person | null): SafeHtml {
  if (!p) return html`<span class="muted">(deleted user)</span>`;
  return html`${p.displayName || p.email}${p.displayName ? html` <span class="muted">${p.email}</span>` : ''}`;
}

export const kindPill = (p: Person) => html`<span class="pill">${p.kind === 'sso' ? 'SSO' : 'Password'}</span>`;

/** A one-button post form (delete, remove, leave...). */
export function buttonForm(action: string, csrf: string, label: string, opts: { danger?: boolean } = {}): SafeHtml {
  return html`<form class="inline" method="post" action="${action}"><input type="hidden" name="_csrf" value="${csrf}"><button class="${opts.danger ? 'danger' : 'secondary'}">${label}</button></form>`;
}

export const hidden = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

export const errorNotice = (error?: { message: string }) => (error ? { kind: 'error' as const, text: error.message } : undefined);
