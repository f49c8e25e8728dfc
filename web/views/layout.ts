import { html, raw, type SafeHtml } from './html';
import { localTimeScript } from './time';

export interface PageUser {
  email: string;
  displayName?: string | null;
  isStaff?: boolean;
}

export interface PageOptions {
  title: string;
  user?: PageUser | null;
  csrfToken?: string;
  /** A flash message shown above the content. */
  notice?: { kind: 'info' | 'error' | 'success'; text: string };
}

// Our own constant CSS, inserted raw: the escaping html`` template would turn "Segoe UI" into
// &quot;Segoe UI&quot;, which drops the whole font rule (test/browser/ui-quality.test.ts checks it).
const styles = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#f5f6f8}
header{background:#fff;border-bottom:1px solid #e3e6eb;padding:12px 24px;display:flex;gap:20px;align-items:center}
header .brand{font-weight:700;color:#2f5bea;letter-spacing:.05em;text-decoration:none}header nav{display:flex;gap:14px;flex:1}
header a{color:#1d2330;text-decoration:none}header form{margin:0}main{max-width:980px;margin:24px auto;padding:0 24px}
.card{background:#fff;border:1px solid #e3e6eb;border-radius:8px;padding:20px;margin-bottom:16px}
h1{font-size:22px;margin:0 0 16px}h2{font-size:17px;margin:0 0 12px}
label{display:block;margin:10px 0 4px;font-weight:600}input,select,textarea{width:100%;padding:8px 10px;border:1px solid #c9ced6;border-radius:6px;font:inherit}
button,.button{display:inline-block;background:#2f5bea;color:#fff;border:0;border-radius:6px;padding:8px 16px;font:inherit;font-weight:600;cursor:pointer;text-decoration:none;margin-top:12px}
button.secondary{background:#e8ebf1;color:#1d2330}button.danger,.button.danger{background:#c62f3b}
table{width:100%;border-collapse:collapse}table.wrap td{overflow-wrap:anywhere}th,td{text-align:left;padding:8px;border-bottom:1px solid #eef0f3;vertical-align:top}
.notice{padding:10px 14px;border-radius:6px;margin-bottom:16px}.notice.info{background:#eaf0ff}.notice.error{background:#fdecee;color:#8a1c26}.notice.success{background:#e7f6ec;color:#1d6b39}
.muted{color:#5d6675;font-size:13px}.pill{display:inline-block;padding:2px 8px;border-radius:10px;background:#eef0f3;font-size:12px}
a{color:#2148c8}:focus-visible{outline:3px solid #2f5bea;outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:12px;top:8px;background:#fff;padding:6px 10px;z-index:1}
.details{margin:0;display:grid;grid-template-columns:max-content minmax(0,1fr);gap:0 8px;font-size:13px}.details dt{color:#5d6675}.details dd{margin:0;overflow-wrap:anywhere}
`;

export function page(opts: PageOptions, content: SafeHtml): string {
  const { user } = opts;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${opts.title} · Entrada</title><style>${raw(styles)}</style></head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><a class="brand" href="/">ENTRADA</a>
<nav aria-label="Main">${user ? html`<a href="/files">Files</a><a href="/hubs">Hubs</a><a href="/contacts">Contacts</a><a href="/meetings">Meetings</a><a href="/invites">Invites</a>${user.isStaff ? html`<a href="/staff">Staff console</a>` : ''}` : ''}</nav>
${
  user
    ? html`<span class="muted">${user.displayName || user.email}</span>
<form method="post" action="/signout"><input type="hidden" name="_csrf" value="${opts.csrfToken ?? ''}"><button class="secondary" style="margin:0">Sign out</button></form>`
    : html`<a href="/signin">Sign in</a>`
}
</header>
<main id="main" tabindex="-1">
${opts.notice ? html`<div class="notice ${opts.notice.kind}" role="status">${opts.notice.text}</div>` : ''}
${content}
</main>${localTimeScript}</body></html>`.value;
}
