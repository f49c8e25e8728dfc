import { html, type SafeHtml } from './html';
import type { InviteView } from '../../lib/invites/views';
import type { OpenedInvite } from '../../lib/invites/open';
import { buttonForm, collabStyles, hidden, when } from '../routes/collab/views/common';

/** The invite pages: the inviter's form and list, and what an invite link opens. */

const card = (content: SafeHtml) => html`<div class="card" style="max-width:560px;margin:auto">${content}</div>`;
const errorBox = (error?: string) => (error ? html`<div class="notice error" role="alert">${error}</div>` : '');

/** "Alice (alice@x) invited you (bob@y) to join the hub "Launch"." */
export const whoInvitedWhom = (v: InviteView) =>
  html`<p id="invite-summary"><strong>${v.inviter.name}</strong>${v.inviter.name !== v.inviter.email ? html` (${v.inviter.email})` : ''} invited you, <strong>${v.email}</strong>, to ${v.what}.</p>`;

export interface NewInviteForm {
  csrf: string;
  hubs: { id: string; name: string; role: string }[];
  file?: { id: string; name: string };
  values: { email?: string; hubId?: string; hubRole?: string; asContact?: boolean };
  error?: string;
}

export function newInviteView(f: NewInviteForm): SafeHtml {
  const v = f.values;
  return card(html`<h1>Invite someone</h1>
${errorBox(f.error)}
<p class="muted">People whose organisation signs in to Entrada with Microsoft Entra ID get a link into their company sign-in; everyone else gets a link to create an account.</p>
<form method="post" action="/invites" id="invite-form">${hidden(f.csrf)}
<label for="email">Their email</label><input id="email" name="email" type="email" required value="${v.email ?? ''}" autofocus>
<label for="hubId">Hub</label><select id="hubId" name="hubId"><option value="">No hub</option>
${f.hubs.map((h) => html`<option value="${h.id}" ${h.id === v.hubId ? 'selected' : ''}>${h.name}</option>`)}</select>
<label for="hubRole">Role in the hub</label><select id="hubRole" name="hubRole">
<option value="member">Member</option><option value="admin" ${v.hubRole === 'admin' ? 'selected' : ''}>Admin (owners only)</option></select>
${f.file ? html`<input type="hidden" name="fileId" value="${f.file.id}"><p>They will also see the file <strong>${f.file.name}</strong>.</p>` : ''}
<label style="font-weight:normal"><input type="checkbox" name="asContact" value="1" style="width:auto" ${v.asContact ? 'checked' : ''}> Add each other as contacts</label>
<button>Send invite</button>
</form>
<p><a href="/invites">Invites you sent</a></p>`);
}

const STATUS_TEXT = { pending: 'Waiting', accepted: 'Accepted', revoked: 'Revoked', expired: 'Expired' } as const;

export function invitesListView(v: { csrf: string; invites: InviteView[] }): SafeHtml {
  return html`${collabStyles}<div class="card">
<div class="head"><h1>Invites you sent</h1><a class="button" href="/invites/new" style="margin:0">Invite someone</a></div>
${
  v.invites.length
    ? html`<table id="invites"><thead><tr><th>Email</th><th>To</th><th>Link</th><th>Status</th><th></th></tr></thead><tbody>
${v.invites.map(
  (i) => html`<tr data-invite="${i.id}"><td>${i.email}</td><td>${i.what}</td>
<td><span class="pill">${i.kind === 'corporate' ? 'Company sign-in' : 'Standard'}</span></td>
<td class="status">${STATUS_TEXT[i.status]}${i.status === 'pending' ? html`<br><span class="muted">until ${when(i.expiresAt)}</span>` : ''}</td>
<td class="actions">${i.status === 'pending' || i.status === 'expired' ? buttonForm(`/invites/${i.id}/revoke`, v.csrf, 'Revoke', { danger: true }) : ''}</td></tr>`,
)}
</tbody></table>`
    : html`<p class="empty">You have not invited anyone yet.</p>`
}
</div>`;
}

/** An expired, used, revoked or unknown link: what happened, and a way to ask for a new one. */
export function deadLinkView(v: { csrf: string; token: string; opened: OpenedInvite & { ok: false } }): SafeHtml {
  const { view, reason, message } = v.opened;
  return card(html`<h1>${reason === 'invalid' ? 'Invite link not valid' : reason === 'used' ? 'Invite already used' : reason === 'revoked' ? 'Invite withdrawn' : 'Invite expired'}</h1>
${errorBox(message)}
${view ? whoInvitedWhom(view) : ''}
${view ? html`<form method="post" action="/invite/${v.token}/renew">${hidden(v.csrf)}<button id="ask-new-invite">Ask ${view.inviter.name} for a new invite</button></form>` : ''}
<p><a href="/signin">Sign in</a></p>`);
}

export function renewalSentView(inviter: string): SafeHtml {
  return card(html`<h1>Request sent</h1><p>We emailed ${inviter} that you would like a new invite. The new link will come by email.</p>`);
}

/** A refusal while accepting or registering (wrong account, SSO needed...), with a way on. */
export function problemView(v: { title: string; message: string; view?: InviteView; action?: { label: string; href: string } }): SafeHtml {
  return card(html`<h1>${v.title}</h1>${errorBox(v.message)}${v.view ? whoInvitedWhom(v.view) : ''}
${v.action ? html`<p><a class="button" id="problem-action" href="${v.action.href}">${v.action.label}</a></p>` : ''}`);
}

export function standardInviteView(v: {
  csrf: string;
  token: string;
  view: InviteView;
  signedInAs?: string;
  displayName?: string;
  error?: string;
}): SafeHtml {
  const { view } = v;
  if (v.signedInAs === view.email) {
    return card(html`<h1>You are invited</h1>${whoInvitedWhom(view)}
<form method="post" action="/invite/${v.token}/accept">${hidden(v.csrf)}<button id="accept-invite">Accept the invite</button></form>`);
  }
  if (v.signedInAs) {
    return problemView({
      title: 'This invite is for someone else',
      view,
      message: `This invite is for ${view.email}, but you are signed in as ${v.signedInAs}. Sign out, then open the link again.`,
    });
  }
  const next = `/invite/${v.token}`;
  return card(html`<h1>You are invited</h1>${whoInvitedWhom(view)}
${errorBox(v.error)}
<p>Create your Entrada account to accept. Already have one? <a id="signin-instead" href="/signin?email=${encodeURIComponent(view.email)}&next=${encodeURIComponent(next)}">Sign in</a> and open the link again.</p>
<form method="post" action="/invite/${v.token}/register" id="invite-register">${hidden(v.csrf)}
<label for="email">Email</label><input id="email" type="email" value="${view.email}" readonly disabled>
<label for="displayName">Your name</label><input id="displayName" name="displayName" autocomplete="name" required maxlength="200" value="${v.displayName ?? ''}" autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="10">
<p class="muted">At least 10 characters. A few unrelated words make a strong password.</p>
<button id="register-submit">Create account and accept</button>
</form>`);
}

export function corporateInviteView(v: { view: InviteView; organisation: string; ssoUrl: string }): SafeHtml {
  return card(html`<h1>You are invited</h1>${whoInvitedWhom(v.view)}
<p>Your organisation <strong>${v.organisation}</strong> signs in with Microsoft Entra ID, so you do not need an Entrada password: continue with your company sign-in, and your Entrada account is set up on the way.</p>
<p><a class="button" id="continue-sso" href="${v.ssoUrl}">Continue with ${v.organisation} sign-in</a></p>`);
}
