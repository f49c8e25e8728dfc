import { html, type SafeHtml } from './html';

/** The account pages' bodies. Every form carries the session's CSRF token as `_csrf`. */

const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;
const errorBox = (error?: string) => (error ? html`<div class="notice error" role="alert">${error}</div>` : '');

export function signInView(v: { csrf: string; email?: string; next?: string; error?: string; unconfirmed?: boolean }): SafeHtml {
  return html`<div class="card" style="max-width:420px;margin:auto">
<h1>Sign in</h1>
${errorBox(v.error)}
${
  v.unconfirmed
    ? html`<form method="post" action="/register/resend">${csrfField(v.csrf)}<input type="hidden" name="email" value="${v.email ?? ''}">
<button class="secondary">Resend the confirmation email</button></form>`
    : ''
}
<form method="post" action="/signin">${csrfField(v.csrf)}<input type="hidden" name="next" value="${v.next ?? '/'}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${v.email ?? ''}" ${v.email ? '' : 'autofocus'}>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" ${v.email ? 'autofocus' : ''}>
<p class="muted">Work account with single sign-on? Enter your email and leave the password empty.</p>
<button>Sign in</button>
</form>
<p><a href="/password/forgot">Forgot your password?</a> · <a href="/register">Create an account</a></p>
</div>`;
}

export function registerView(v: { csrf: string; email?: string; displayName?: string; error?: string; ssoUrl?: string }): SafeHtml {
  return html`<div class="card" style="max-width:420px;margin:auto">
<h1>Create an account</h1>
${errorBox(v.error)}
${v.ssoUrl ? html`<p><a class="button" href="${v.ssoUrl}">Sign in with your organisation</a></p>` : ''}
<form method="post" action="/register">${csrfField(v.csrf)}
<label for="displayName">Your name</label><input id="displayName" name="displayName" autocomplete="name" required maxlength="200" value="${v.displayName ?? ''}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required value="${v.email ?? ''}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="10">
<p class="muted">At least 10 characters. A few unrelated words make a strong password.</p>
<button>Create account</button>
</form>
<p>Already registered? <a href="/signin">Sign in</a></p>
</div>`;
}

/** The one answer to registration, resend and reset requests, whatever the email's state. */
export function checkInboxView(v: { csrf: string; email: string; what: 'confirm' | 'reset' }): SafeHtml {
  return html`<div class="card" style="max-width:520px;margin:auto">
<h1>Check your inbox</h1>
${
  v.what === 'confirm'
    ? html`<p>If <strong>${v.email}</strong> can be registered, we have sent it a link to confirm the address. Open it to finish creating your account.</p>
<form method="post" action="/register/resend">${csrfField(v.csrf)}<input type="hidden" name="email" value="${v.email}">
<p class="muted">Nothing after a few minutes? Check your spam folder, or</p><button class="secondary">Resend the email</button></form>`
    : html`<p>If <strong>${v.email}</strong> has an account, we have sent it a link to choose a new password. The link works once, for 1 hour.</p>`
}
<p><a href="/signin">Back to sign in</a></p>
</div>`;
}

export function confirmView(v: { csrf: string; token: string; email: string; error?: string }): SafeHtml {
  // A form, not an automatic confirmation: mail scanners follow links, and only the person
  // who registered knows the password (see accounts/confirmation.ts).
  return html`<div class="card" style="max-width:420px;margin:auto">
<h1>Confirm your email</h1>
${errorBox(v.error)}
<p>Enter the password you chose for <strong>${v.email}</strong> to confirm the address and sign in.</p>
<form method="post" action="/register/confirm">${csrfField(v.csrf)}<input type="hidden" name="token" value="${v.token}">
<input type="hidden" name="email" value="${v.email}" autocomplete="username">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<button>Confirm and sign in</button></form>
<p class="muted">Forgot it? <a href="/register">Register again</a> with the same email, or <a href="/password/forgot">reset the password</a>.</p>
</div>`;
}

export function linkProblemView(v: { csrf: string; message: string; what: 'confirm' | 'reset' }): SafeHtml {
  return html`<div class="card" style="max-width:420px;margin:auto">
<h1>${v.what === 'confirm' ? 'Confirmation link' : 'Reset link'} not valid</h1>
${errorBox(v.message)}
${
  v.what === 'confirm'
    ? html`<form method="post" action="/register/resend">${csrfField(v.csrf)}
<label for="email">Email</label><input id="email" name="email" type="email" required><button>Send a new link</button></form>`
    : html`<p><a class="button" href="/password/forgot">Ask for a new link</a></p>`
}
</div>`;
}

export function forgotView(v: { csrf: string; email?: string; error?: string }): SafeHtml {
  return html`<div class="card" style="max-width:420px;margin:auto">
<h1>Forgot your password?</h1>
${errorBox(v.error)}
<p>Enter your email and we will send you a link to choose a new password.</p>
<form method="post" action="/password/forgot">${csrfField(v.csrf)}
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${v.email ?? ''}">
<button>Send the link</button></form>
</div>`;
}

export function resetView(v: { csrf: string; token: string; email: string; error?: string }): SafeHtml {
  return html`<div class="card" style="max-width:420px;margin:auto">
<h1>Choose a new password</h1>
${errorBox(v.error)}
<p class="muted">For ${v.email}. Every session of this account will be signed out.</p>
<form method="post" action="/password/reset">${csrfField(v.csrf)}<input type="hidden" name="token" value="${v.token}">
<input type="hidden" name="email" value="${v.email}" autocomplete="username">
<label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="10" autofocus>
<button>Save the new password</button></form>
</div>`;
}
