import type { RejectionReason } from '../../lib/saml/rejection';
import { html, raw } from '../views/html';
import { page } from '../views/layout';
import type { PendingWork } from '../../lib/sso/sign-in';

/**
 * What the browser sees when SSO does not simply sign in. Attacks and protocol faults get one
 * generic page with a reference (the audit event ID); the organisation's own rules get a page
 * that says what to do, because the person can act on it.
 */

export function signInFailedPage(reference: string): string {
  return page(
    { title: 'Sign-in failed' },
    html`<div class="card" id="sso-failed"><h1>Sign-in failed</h1>
<p>We could not sign you in with your organisation account. Try again from the start; if it keeps failing, give your IT administrator or our support this reference:</p>
<p><code id="reference">${reference}</code></p>
<p><a class="button" href="/signin">Back to sign-in</a></p></div>`,
  );
}

const POLICY_TEXT: Partial<Record<RejectionReason, { title: string; text: string }>> = {
  'tenant-not-enabled': {
    title: 'SSO not enabled',
    text: 'Your organisation has not enabled single sign-on to Entrada yet. Ask your IT administrator.',
  },
  'email-outside-domains': {
    title: 'Email not covered',
    text: "Your organisation account's email address is not in a domain your organisation registered with Entrada, so it cannot be used here. Ask your IT administrator.",
  },
  'email-bound-to-other-tenant': {
    title: 'Email linked elsewhere',
    text: "This email address belongs to an Entrada account of another organisation's sign-in. Contact our support.",
  },
  'group-not-allowed': {
    title: 'Access not granted',
    text: 'Your organisation lets only members of certain groups use Entrada, and your account is not in one of them. Ask your IT administrator to add you to an allowed group.',
  },
  'groups-overage': {
    title: 'Too many groups',
    text: 'Your account is in so many groups that Microsoft Entra ID did not list them when you signed in, so we cannot check whether you may use Entrada. Your IT administrator can fix this by setting the Entrada application\'s group claim to "Groups assigned to the application".',
  },
  'mfa-required': {
    title: 'Multi-factor authentication required',
    text: 'Your organisation requires multi-factor authentication (for example the Microsoft Authenticator app, a text message or a security key) to use Entrada, and this sign-in did not use it. Sign out of your Microsoft account, then sign in again and complete the extra verification step. If you are not asked for one, ask your IT administrator to set up multi-factor authentication for your account.',
  },
  'account-unavailable': {
    title: 'Account unavailable',
    text: 'This Entrada account is being deleted or was deleted, and can no longer sign in.',
  },
  'account-suspended': {
    title: 'Access suspended',
    text: 'Your organisation has suspended your access to Entrada (for example because your account was disabled or removed from the application). Your files and data are kept. If this is a mistake, ask your IT administrator to restore your access.',
  },
  'account-preparation-failed': {
    title: 'Account not ready',
    text: 'We could not finish preparing your Entrada account. Our team can see what went wrong; try again later.',
  },
};

export function refusedPage(reason: RejectionReason, reference: string): string {
  const copy = POLICY_TEXT[reason];
  if (!copy) return signInFailedPage(reference);
  return page(
    { title: copy.title },
    html`<div class="card" id="sso-refused"><h1>${copy.title}</h1><p>${copy.text}</p>
<p class="muted">Reference: <code id="reference">${reference}</code></p><p><a class="button" href="/signin">Back to sign-in</a></p></div>`,
  );
}

/** Home-realm discovery after a password was typed: why the password is not used, then onwards. */
export function ssoStartPage(organisation: string, loginUrl: string): string {
  return page(
    { title: 'Sign in with your organisation' },
    html`<div class="card" id="sso-start" style="max-width:520px;margin:auto"><h1>Sign in with your organisation</h1>
<p>${organisation} signs in to Entrada with its Microsoft Entra ID account (single sign-on). Your Entrada password is not used for this address.</p>
<p>If you had an Entrada password account, it is upgraded the first time you sign in this way: your files, hubs, contacts, messages and meetings stay exactly as they are, and the password stops working.</p>
<p><a class="button" id="sso-continue" href="${loginUrl}">Continue to ${organisation}</a></p></div>`,
  );
}

/** Shown while a migration or the deletion of a replaced account finishes; polls, then continues. */
export function pendingPage(work: PendingWork, paths: { status: string; page: string }): string {
  const migration = work.kind === 'migration';
  const title = migration ? 'Finishing your account upgrade' : 'Your account is being prepared';
  const text = migration
    ? 'This is your first sign-in with your organisation account, so we are upgrading your Entrada account to single sign-on. Your files, hubs, contacts, messages and meetings stay exactly as they are. This page continues by itself.'
    : 'An earlier Entrada account with this email address belonged to an Entra account that no longer exists. It is being removed before your new, empty account is created. This page continues by itself.';
  return page(
    { title },
    html`<div class="card" id="sso-pending" data-kind="${work.kind}"><h1>${title}</h1><p>${text}</p><p class="muted" id="pending-state">Working…</p>
<noscript><meta http-equiv="refresh" content="3;url=${paths.page}"><p><a href="${paths.page}">Continue</a></p></noscript></div>
<script>${raw(pollScript(paths.status))}</script>`,
  );
}

/** Polls until done; a refusal (4xx, `{ error }`) is shown with its reference, anything else is retried. */
function pollScript(statusUrl: string): string {
  return `(function(){var url=${JSON.stringify(statusUrl).replace(/</g, '\\u003c')};
function poll(){fetch(url,{headers:{accept:'application/json'},credentials:'same-origin'}).then(function(r){return r.json().then(function(s){
if(s.status==='done'){location.assign(s.next);return}
if(s.error&&r.status<500){document.getElementById('pending-state').textContent=s.error.message+(s.error.reference?' Reference: '+s.error.reference:'');return}
setTimeout(poll,r.ok?1000:3000)})}).catch(function(){setTimeout(poll,3000)})}
poll()})();`;
}

/**
 * An IdP-initiated sign-in arrived in a browser where someone else is signed in: it may be an
 * attacker's own sign-in posted from another site (login CSRF), so nothing changes unless the
 * person chooses it here (the form carries the session's CSRF token).
 */
export function switchAccountPage(who: { current: string; next: string; organisation: string }, action: string, csrf: string): string {
  return page(
    { title: 'Switch account?' },
    html`<div class="card" id="sso-switch" style="max-width:560px;margin:auto"><h1>Switch account?</h1>
<p>You are signed in to Entrada as <strong id="current-user">${who.current}</strong>. A sign-in from ${who.organisation}'s portal arrived for <strong id="incoming-user">${who.next}</strong>.</p>
<p>If you did not just open Entrada from your organisation's portal as ${who.next}, someone may be trying to sign you in to their account: stay as you are.</p>
<form method="post" action="${action}"><input type="hidden" name="_csrf" value="${csrf}"><button id="switch-continue">Continue as ${who.next}</button>
<a class="button secondary" id="switch-stay" href="/">Stay signed in as ${who.current}</a></form></div>`,
  );
}
