/** The portal invitation link's pages: what it is, how to accept it, and why it cannot be used. */
import type { InviteLookup, InviteProblem } from '../../lib/portal/redeem';
import { html, type SafeHtml } from './html';

const PROBLEMS: Record<InviteProblem, (l: InviteLookup) => string> = {
  invalid: () =>
    'This invitation link is not valid. It may have been replaced by a newer one: use the latest email, or ask your Entrada contact.',
  used: (l) =>
    `This invitation has already been used. If you are ${l.email ?? 'the invited admin'} and need access, ask your Entrada contact for a new invitation.`,
  ended: (l) =>
    `The onboarding of ${l.orgName ?? 'this organisation'} has ended, so its invitations no longer work. Administrators now sign in with single sign-on.`,
  'wrong-account': (l) =>
    `This invitation is for a standard Entrada account with the email ${l.email}. Sign out, then sign in (or register) with that email and open the link again.`,
};

export function invitePromptView(l: InviteLookup & { ok: true }, opts: { token: string; csrf: string; signedIn: boolean }): SafeHtml {
  const next = `/portal/invite/${opts.token}`;
  return html`<h1>Admin portal for ${l.orgName}</h1>
<div class="card" id="portal-invite"><p>You are invited to follow ${l.orgName}'s single sign-on set-up in the Entrada admin portal, as ${l.email}.</p>
${
  opts.signedIn
    ? html`<form method="post" action="${next}"><input type="hidden" name="_csrf" value="${opts.csrf}"><button id="accept-portal-invite">Accept and open the portal</button></form>`
    : html`<p><a class="button" id="signin-for-invite" href="/signin?next=${encodeURIComponent(next)}&amp;email=${encodeURIComponent(l.email)}">Sign in as ${l.email}</a></p>
<p class="muted">No Entrada account yet? <a href="/register">Register</a> with ${l.email}, confirm your email, then open this link again.</p>`
}</div>`;
}

export function inviteProblemView(l: InviteLookup & { ok: false }): SafeHtml {
  return html`<h1>Admin portal invitation</h1><div class="notice error" role="alert" id="invite-problem" data-problem="${l.problem}">${PROBLEMS[l.problem](l)}</div>`;
}

export const inviteStatus: Record<InviteProblem, number> = { invalid: 404, used: 410, ended: 410, 'wrong-account': 403 };
