import { once } from 'node:events';
import { Router } from 'express';
import { audit, knownActions } from '../../../lib/audit';
import { AUDIT_OUTCOMES } from '../../../lib/models';
import { html, type SafeHtml } from '../../views/html';
import { renderPage } from '../../views/page';
import { timeTag } from '../../views/time';
import { auditDetails } from '../../views/audit-details';
import { requestContext } from '../../http/request-context';
import { listAuditEvents, openAuditExport, parseAuditFilter, type AuditFilter, type SerializedAuditEvent } from '../../../lib/audit-search';
import { staffActor, type StaffSection } from './section';
import { verifyChain } from '../../../lib/audit-chain/verify';

/** Audit trail: read-only. There is no route that changes or removes an event. */
export const auditSection: StaffSection = {
  path: 'audit',
  title: 'Audit',
  description: 'Every sign-in, registration, reset and staff action; filter and export as NDJSON.',
  pages: () => {
    const router = Router();
    router.get('/', async (req, res) => {
      const filter = parseAuditFilter(req.query);
      const [page, actions] = await Promise.all([listAuditEvents(filter), knownActions()]);
      renderPage(req, res, { title: 'Audit' }, auditView(filter, req.query as Record<string, string>, page, actions));
    });
    return router;
  },
  api: () => {
    const router = Router();
    router.get('/', async (req, res) => {
      res.json(await listAuditEvents(parseAuditFilter(req.query)));
    });
    // A tenancy's hash chain (or `platform`), recomputed: ok, or the first broken link.
    router.get('/chains/:chain/verify', async (req, res) => {
      res.json(await verifyChain(req.params.chain.toLowerCase()));
    });
    // Streamed from a database cursor with backpressure: any size, constant memory.
    router.get('/export', async (req, res) => {
      const filter = parseAuditFilter(req.query);
      const events = await openAuditExport(filter);
      await audit({
        action: 'staff.audit-exported',
        outcome: 'success',
        actor: staffActor(req),
        ...requestContext(req),
        details: { filter: req.query },
      });
      res
        .status(200)
        .type('application/x-ndjson')
        .set('Content-Disposition', `attachment; filename="entrada-audit-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson"`);
      try {
        for await (const event of events) {
          if (!res.write(`${JSON.stringify(event)}\n`)) await drainedOrClosed(res);
          if (res.destroyed) break;
        }
      } catch (err) {
        // Headers are gone: abort the chunked body so the client sees a failed, not a short, export.
        console.error('web: audit export failed mid-stream', err);
        return res.destroy(err as Error);
      }
      res.end();
    });
    return router;
  },
};

const FIELDS: [keyof AuditFilter, string, string][] = [
  ['actor', 'Actor email', 'email'],
  ['tenant', 'Tenant ID', 'text'],
  ['target', 'Target ID', 'text'],
  ['from', 'From (UTC)', 'datetime-local'],
  ['to', 'To (UTC)', 'datetime-local'],
];

function auditView(
  filter: AuditFilter,
  query: Record<string, string>,
  page: { events: SerializedAuditEvent[]; next: string | null },
  actions: string[],
): SafeHtml {
  const qs = (extra: Record<string, string>) =>
    new URLSearchParams({
      ...Object.fromEntries(Object.entries(query).filter(([k, v]) => v && typeof v === 'string' && k !== 'before')),
      ...extra,
    }).toString();
  return html`<h1>Audit trail</h1>
${filter.user ? html`<p>Events where user <a href="/staff/users/${filter.user}">${filter.user}</a> is the actor or the target. <a href="/staff/audit">Clear</a></p>` : ''}
<form class="card" method="get" action="/staff/audit" style="display:grid;grid-template-columns:repeat(4,1fr);gap:0 12px">
<div><label for="action">Action</label><input id="action" name="action" list="actions" value="${filter.action ?? ''}" placeholder="auth.* or auth.signin">
<datalist id="actions">${actions.map((a) => html`<option value="${a}">`)}</datalist></div>
<div><label for="outcome">Outcome</label><select id="outcome" name="outcome"><option value="">any</option>${AUDIT_OUTCOMES.map((o) => html`<option ${filter.outcome === o ? 'selected' : ''}>${o}</option>`)}</select></div>
${FIELDS.map(([name, label, type]) => html`<div><label for="${name}">${label}</label><input id="${name}" name="${name}" type="${type}" value="${query[name] ?? ''}"></div>`)}
${filter.user ? html`<input type="hidden" name="user" value="${filter.user}">` : ''}
<div style="grid-column:1/-1"><button>Filter</button> <a class="button" style="background:#e8ebf1;color:#1d2330" href="/api/staff/audit/export?${qs({})}">Export NDJSON</a></div>
</form>
<div class="card"><table class="wrap">
<thead><tr><th>Time</th><th>Action</th><th>Outcome</th><th>Actor</th><th>Target</th><th>Tenant</th><th>From</th><th>Details</th></tr></thead>
<tbody>${page.events.map(
    (e) => html`<tr>
<td class="muted">${timeTag(e.at)}</td><td>${e.action}</td><td><span class="pill">${e.outcome}</span></td>
<td>${e.actor?.email ?? e.actor?.kind ?? ''}</td>
<td>${e.target ? (e.target.type === 'user' ? html`<a href="/staff/users/${e.target.id}">user ${e.target.id}</a>` : `${e.target.type} ${e.target.id}`) : ''}</td>
<td>${e.tenantId ?? ''}</td><td class="muted">${e.ip ?? ''}</td><td>${auditDetails(e.details)}</td></tr>`,
  )}
</tbody></table>
${page.events.length === 0 ? html`<p class="muted">No events match.</p>` : ''}
${page.next ? html`<p><a href="/staff/audit?${qs({ before: page.next })}">Older events →</a></p>` : ''}
</div>`;
}

/** Waits for backpressure to clear; the signal removes the losing listener so none pile up. */
async function drainedOrClosed(res: NodeJS.WritableStream): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race([once(res, 'drain', { signal: done.signal }), once(res, 'close', { signal: done.signal })]);
  } finally {
    done.abort();
  }
}
