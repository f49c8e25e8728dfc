/**
 * Server-rendered HTML with escaping by default: every `${value}` in an html`` template is
 * escaped unless it is itself SafeHtml (another html`` result or raw()).
 */
import { escapeHtml } from '../../lib/email-layout';

export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (value instanceof SafeHtml) return value.value;
  return escapeHtml(value);
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

/** For trusted, already-escaped markup only. */
export const raw = (markup: string) => new SafeHtml(markup);
