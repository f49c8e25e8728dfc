/**
 * An audit event's details as a short key/value list that wraps inside its table cell:
 * raw JSON on one line made /staff/audit ~1,700 px wide at a 1,280 px viewport.
 */
import { html, type SafeHtml } from './html';

const MAX_ENTRIES = 8;
const MAX_VALUE = 160;

const shown = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
};

export function auditDetails(details: unknown): SafeHtml {
  if (!details || typeof details !== 'object') return html``;
  const entries = Object.entries(details as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const more = entries.length - MAX_ENTRIES;
  return html`<dl class="details">${entries.slice(0, MAX_ENTRIES).map(([k, v]) => html`<dt>${k}</dt><dd>${shown(v)}</dd>`)}</dl>${
    more > 0 ? html`<span class="muted">and ${more} more (in the export)</span>` : ''
  }`;
}
