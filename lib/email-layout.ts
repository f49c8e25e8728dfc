/**
 * Branded email bodies. Templates (beside the activities that send them) build text and
 * HTML from the same facts; this wraps the HTML in the house layout and escapes values.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface EmailBody {
  subject: string;
  text: string;
  html: string;
}

/** `paragraphs` are plain text (escaped here); `action` becomes the one prominent button. */
export function brandedEmail(input: {
  subject: string;
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
}): EmailBody {
  const footer = input.footer ?? 'Entrada — secure sign-in for your organisation.';
  const text = [
    input.heading,
    '',
    ...input.paragraphs.flatMap((p) => [p, '']),
    ...(input.action ? [`${input.action.label}: ${input.action.url}`, ''] : []),
    '--',
    footer,
  ].join('\n');
  const button = input.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(input.action.url)}" style="background:#2f5bea;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(input.action.label)}</a></p>
<p style="font-size:12px;color:#666">Or paste this link into your browser: ${escapeHtml(input.action.url)}</p>`
    : '';
  const html = `<!doctype html><html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;background:#f5f6f8;padding:24px">
<div style="max-width:560px;margin:auto;background:#fff;border-radius:8px;padding:32px">
<div style="font-weight:700;color:#2f5bea;letter-spacing:.04em">ENTRADA</div>
<h1 style="font-size:20px">${escapeHtml(input.heading)}</h1>
${input.paragraphs.map((p) => `<p style="line-height:1.5">${escapeHtml(p)}</p>`).join('\n')}
${button}
<hr style="border:none;border-top:1px solid #eee;margin-top:32px"><p style="font-size:12px;color:#888">${escapeHtml(footer)}</p>
</div></body></html>`;
  return { subject: input.subject, text, html };
}
