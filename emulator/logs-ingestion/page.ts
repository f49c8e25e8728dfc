import type { IngestionState } from './state';
import type { Faults } from './faults';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const SHOWN = 200;

/** GET /: the DCRs, the fault in force and the newest rows received, refreshed every 2 s. */
export function receivedPage(state: IngestionState, faults: Faults, base: string): string {
  const newest = state.rows.slice(-SHOWN).reverse();
  const columns = [...new Set(newest.flatMap((r) => Object.keys(r.row)))];
  const dcrs = [...state.dcrs.values()];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>Logs Ingestion emulator</title><style>body{font:14px system-ui,sans-serif;margin:24px;color:#1d2330}table{border-collapse:collapse;font-size:12px}
td,th{border:1px solid #dde1e7;padding:4px 6px;text-align:left;vertical-align:top}code{background:#f1f3f6;padding:1px 4px}</style></head><body>
<h1>Azure Monitor Logs Ingestion emulator</h1>
<p>Token endpoint <code>${esc(base)}/&lt;directory&gt;/oauth2/v2.0/token</code> · ingestion <code>${esc(base)}/dataCollectionRules/&lt;dcr&gt;/streams/&lt;stream&gt;?api-version=2023-01-01</code></p>
<p>Fault in force: <strong id="fault">${esc(faults.active()?.kind ?? 'none')}</strong>${faults.poisonEventIds.size ? ` · poisoned EventIds: ${faults.poisonEventIds.size}` : ''} · answers: ${esc([...state.answers].map(([k, v]) => `${k}×${v}`).join(', ') || 'none yet')}</p>
<h2>Data collection rules</h2><ul>${dcrs
    .map(
      (d) =>
        `<li><code>${esc(d.immutableId)}</code>: ${Object.keys(d.streams)
          .map((s) => `<code>${esc(s)}</code> (${state.rows.filter((r) => r.dcr === d.immutableId && r.stream === s).length} rows)`)
          .join(', ')}; publishers ${[...d.publishers].map((p) => `<code>${esc(p)}</code>`).join(', ') || 'none'}</li>`,
    )
    .join('')}</ul>
<h2>Rows received (${state.rows.length}; newest ${Math.min(SHOWN, state.rows.length)} shown)</h2>
${
  newest.length
    ? `<table id="rows"><thead><tr><th>received</th><th>stream</th>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>
${newest.map((r) => `<tr><td>${esc(r.receivedAt)}</td><td>${esc(r.stream)}</td>${columns.map((c) => `<td>${esc(r.row[c])}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`
    : "<p>No rows yet. Configure a tenancy's audit stream in the staff console to send some.</p>"
}
</body></html>`;
}
