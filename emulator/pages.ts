/**
 * HTML pages of the emulator, shaped like Entra's so humans recognise them and browser tests can
 * drive them with stable selectors (listed in index.ts). Every interpolated value is escaped with
 * `h`; URLs put into `action` attributes have been checked to be absolute http(s) by the caller.
 */
import type { EmulatedUser } from './index';
import { x as h } from './xml';

const STYLE = `body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0}
main{max-width:440px;margin:48px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
main.wide{max-width:960px}h1{font-size:24px;font-weight:600;margin:0 0 16px}
.brand{color:#737373;font-size:13px;margin-bottom:16px}.error{color:#e81123;margin:12px 0}
ul.users{list-style:none;padding:0}ul.users li{margin:6px 0}
button{font:inherit;padding:6px 14px;cursor:pointer}button.primary{background:#0067b8;color:#fff;border:0}
button.user-pick{width:100%;text-align:left;background:#fff;border:1px solid #ccc;padding:10px}
button.user-pick span{display:block;color:#616161;font-size:13px}
input[type=text],select{width:100%;box-sizing:border-box;padding:6px;font:inherit;margin:6px 0 12px}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:4px;text-align:left}
code{font-size:12px}`;

export function layout(title: string, body: string, opts: { wide?: boolean; brand?: string } = {}): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${h(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head>
<body><main${opts.wide ? ' class="wide"' : ''}><div class="brand">${h(opts.brand ?? 'Microsoft Entra ID')} (emulator)</div>${body}</main></body></html>`;
}

export interface SignInPageInput {
  tenantName: string;
  tenantId: string;
  audience: string;
  users: EmulatedUser[];
  action: string; // absolute URL of POST /<tid>/saml2/login
  handle: string;
  error?: string;
  email?: string;
  /** Whose page it is: Entra's unless told (the Okta emulator says Okta, and "Org" for "Tenant"). */
  brand?: { name: string; idLabel: string };
}

export function signInPage(p: SignInPageInput): string {
  const ctx = `<input type="hidden" name="ctx" value="${h(p.handle)}">`;
  const users = p.users
    .map(
      (u) =>
        `<li><button type="submit" class="user-pick" name="email" value="${h(u.email)}" data-email="${h(u.email)}">` +
        `${h(u.displayName)}<span>${h(u.email)}</span></button></li>`,
    )
    .join('');
  const picker = p.users.length
    ? `<form id="user-picker" method="post" action="${h(p.action)}">${ctx}<p>Pick an account</p><ul class="users">${users}</ul></form>`
    : `<p id="no-users">This directory has no users yet.</p>`;
  return layout(
    `Sign in to ${p.tenantName}`,
    `<h1>Sign in to ${h(p.tenantName)}</h1>
<p class="brand">${h(p.brand?.idLabel ?? 'Tenant')} <code>${h(p.tenantId)}</code> · application <code>${h(p.audience)}</code></p>
${p.error ? `<div id="error" class="error" role="alert">${h(p.error)}</div>` : ''}
${picker}
<form id="email-form" method="post" action="${h(p.action)}">${ctx}
<label for="email">Or type an email address</label>
<input type="text" id="email" name="email" autocomplete="username" value="${h(p.email ?? '')}">
<button type="submit" id="signin-submit" class="primary">Sign in</button></form>`,
    p.brand ? { brand: p.brand.name } : {},
  );
}

/** What Entra returns after sign-in: a form that posts itself to the ACS (button for no-JS). */
export function autoPostPage(acsUrl: string, samlResponse: string, relayState?: string): string {
  const relay = relayState !== undefined ? `<input type="hidden" name="RelayState" value="${h(relayState)}">` : '';
  return layout(
    'Working...',
    `<form id="saml-post" method="post" action="${h(acsUrl)}">
<input type="hidden" name="SAMLResponse" value="${h(samlResponse)}">${relay}
<noscript><p>Script is disabled. Click Continue to finish signing in.</p></noscript>
<button type="submit" id="continue" class="primary">Continue</button></form>
<script>document.getElementById('saml-post').submit();</script>`,
  );
}

/** `message` carries its AADSTS code first ("AADSTS90002: Tenant ..."), as Entra shows it. */
export function errorPage(message: string): string {
  return layout(
    'Sign in',
    `<h1>Sorry, but we’re having trouble signing you in.</h1>
<p id="error" class="error" role="alert">${h(message)}</p>
<p class="brand">Timestamp: ${h(new Date().toISOString())}</p>`,
  );
}

export function signedOutPage(): string {
  return layout('Sign out', `<h1 id="signed-out">You signed out of your account</h1><p>It’s a good idea to close all browser windows.</p>`);
}

export interface ConsentPageInput {
  action: string; // absolute URL of POST /<tenant>/adminconsent
  clientId: string;
  redirectUri: string;
  state?: string;
  tenantName?: string; // known tenant, or undefined on /common with a picker
  tenantChoices?: { tenantId: string; name: string }[];
}

export function consentPage(p: ConsentPageInput): string {
  const hidden = (name: string, value?: string) => (value === undefined ? '' : `<input type="hidden" name="${name}" value="${h(value)}">`);
  const chooser = p.tenantChoices
    ? `<label for="tenant">Organisation</label><select id="tenant" name="tenant">${p.tenantChoices
        .map((t) => `<option value="${h(t.tenantId)}">${h(t.name)} (${h(t.tenantId)})</option>`)
        .join('')}</select>`
    : '';
  return layout(
    `Permissions requested - ${p.clientId}`,
    `<h1>Permissions requested</h1>
${p.tenantName ? `<p>Accept for your organization <b id="tenant-name">${h(p.tenantName)}</b></p>` : ''}
<p>App: <b id="app-name">${h(p.clientId)}</b></p>
<p>This app would like to:</p><ul><li>Sign in and read user profile</li></ul>
<p>If you accept, this app will get access to the specified resources for all users in your organization. No one else will be prompted to review these permissions.</p>
<form id="consent-form" method="post" action="${h(p.action)}">
${hidden('client_id', p.clientId)}${hidden('redirect_uri', p.redirectUri)}${hidden('state', p.state)}${chooser}
<button type="submit" id="cancel" name="decision" value="cancel">Cancel</button>
<button type="submit" id="accept" name="decision" value="accept" class="primary">Accept</button></form>`,
  );
}
