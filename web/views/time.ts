/**
 * One timestamp format for every page: `YYYY-MM-DD HH:MM <zone>`. The server renders it in
 * UTC (what a viewer without scripts sees); the page's script rewrites it in the viewer's
 * own time zone, and the full UTC instant stays on hover (`title`).
 */
import { html, raw, type SafeHtml } from './html';

const utc = (d: Date) => d.toISOString().replace('T', ' ');

/** A timestamp for a page; empty for a missing one. */
export function timeTag(at?: string | Date | null): SafeHtml {
  if (!at) return html``;
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return html`${String(at)}`;
  return html`<time datetime="${d.toISOString()}" title="${utc(d).slice(0, 19)} UTC">${utc(d).slice(0, 16)} UTC</time>`;
}

/** Rewrites every <time datetime> in the viewer's time zone, same shape, with the zone's short name. */
export const localTimeScript = raw(`<script>(() => {
  const f = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
  for (const t of document.querySelectorAll('time[datetime]')) {
    const p = Object.fromEntries(f.formatToParts(new Date(t.dateTime)).map((x) => [x.type, x.value]));
    t.textContent = p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ' ' + p.timeZoneName;
  }
})();</script>`);
