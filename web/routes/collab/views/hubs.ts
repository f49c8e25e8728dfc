import { html, type SafeHtml } from '../../../views/html';
import { HUB_ROLES, type HubRole } from '../../../../lib/models';
import { mayAssignRole } from '../../../../lib/collab/access';
import type { FileView } from '../../../../lib/collab/files';
import { readOnlyFilesTable } from './files';
import type { HubSummary } from '../../../../lib/collab/hubs';
import type { Member } from '../../../../lib/collab/hub-members';
import type { MessageView } from '../../../../lib/collab/messages';
import { buttonForm, collabStyles, hidden, kindPill, personName, when } from './common';
import { uploadForm } from './files';

export function hubsPage(v: { hubs: HubSummary[]; csrf: string; name?: string }): SafeHtml {
  return html`${collabStyles}<h1>Hubs</h1>
<div class="card"><h2>Create a hub</h2><form method="post" action="/hubs">${hidden(v.csrf)}
<div class="row"><div><label for="hub-name">Name</label><input id="hub-name" name="name" value="${v.name ?? ''}" required maxlength="200"></div><button>Create hub</button></div></form></div>
<div class="card"><h2>Your hubs</h2>${
    v.hubs.length
      ? html`<table><thead><tr><th>Name</th><th>Your role</th><th>Created</th></tr></thead><tbody>
${v.hubs.map((h) => html`<tr><td><a href="/hubs/${h.id}">${h.name}</a></td><td><span class="pill">${h.role}</span></td><td>${when(h.createdAt)}</td></tr>`)}</tbody></table>`
      : html`<p class="empty">You are not in any hub yet. Create one, or ask a hub owner to add you.</p>`
  }</div>`;
}

export interface HubPageView {
  hub: HubSummary;
  members: Member[];
  files: FileView[];
  messages: MessageView[];
  me: string;
  csrf: string;
  maxBytes: number;
}

export function hubPage(v: HubPageView): SafeHtml {
  const base = `/hubs/${v.hub.id}`;
  return html`${collabStyles}<p><a href="/hubs">← Hubs</a></p>
<div class="head" style="margin-bottom:16px"><h1>${v.hub.name}</h1><span class="pill">you are ${v.hub.role}</span></div>
<div class="card"><h2>Messages</h2>${messageThread(v.messages)}
<form method="post" action="${base}/messages">${hidden(v.csrf)}<label for="message">Write to the hub</label><textarea id="message" name="body" rows="3" required maxlength="10000"></textarea><button>Post</button></form></div>
<div class="card"><h2>Files</h2>${v.files.length ? readOnlyFilesTable(v.files, 'Uploaded by') : html`<p class="empty">No files in this hub yet.</p>`}
${uploadForm(`${base}/files`, v.csrf, v.maxBytes)}</div>
${membersCard(v, base)}
${v.hub.role === 'owner' ? ownerCard(v, base) : ''}`;
}

function messageThread(messages: MessageView[]): SafeHtml {
  if (!messages.length) return html`<p class="empty">No messages yet. Say hello.</p>`;
  return html`<ul class="thread">${messages.map((m) => html`<li><strong>${personName(m.author)}</strong> <span class="muted">${when(m.createdAt)}</span><div class="body">${m.body}</div></li>`)}</ul>`;
}

function membersCard(v: HubPageView, base: string): SafeHtml {
  const myRole = v.hub.role;
  const addable = HUB_ROLES.filter((r) => mayAssignRole(myRole, undefined, r));
  return html`<div class="card"><h2>Members</h2><table><thead><tr><th>Person</th><th>Account</th><th>Role</th><th></th></tr></thead><tbody>
${v.members.map(
  (m) => html`<tr><td>${personName(m)}${m.id === v.me ? html` <span class="muted">(you)</span>` : ''}</td><td>${kindPill(m)}</td>
<td>${roleControl(myRole, m, base, v.csrf)}</td>
<td class="actions">${
    m.id === v.me
      ? buttonForm(`${base}/members/${m.id}/remove`, v.csrf, 'Leave hub')
      : mayAssignRole(myRole, m.role, undefined)
        ? buttonForm(`${base}/members/${m.id}/remove`, v.csrf, 'Remove', { danger: true })
        : ''
  }</td></tr>`,
)}
</tbody></table>
${
  addable.length
    ? html`<form method="post" action="${base}/members">${hidden(v.csrf)}<div class="row">
<div><label for="member-email">Add a member (email of an Entrada user)</label><input id="member-email" type="email" name="email" required></div>
<div style="flex:0 0 140px"><label for="member-role">Role</label><select id="member-role" name="role">${addable.map((r) => html`<option value="${r}"${r === 'member' ? ' selected' : ''}>${r}</option>`)}</select></div>
<button>Add</button></div></form>`
    : ''
}</div>`;
}

/** A role picker where the viewer may change this member's role, plain text otherwise. */
function roleControl(myRole: HubRole, m: Member, base: string, csrf: string): SafeHtml {
  const choices = HUB_ROLES.filter((r) => r === m.role || mayAssignRole(myRole, m.role, r));
  if (choices.length < 2) return html`<span class="pill">${m.role}</span>`;
  return html`<form class="inline" method="post" action="${base}/members/${m.id}/role">${hidden(csrf)}
<select name="role" aria-label="Role of ${m.email}">${choices.map((r) => html`<option value="${r}"${r === m.role ? ' selected' : ''}>${r}</option>`)}</select><button class="secondary">Change</button></form>`;
}

function ownerCard(v: HubPageView, base: string): SafeHtml {
  return html`<div class="card"><h2>Hub settings</h2>
<form method="post" action="${base}/rename">${hidden(v.csrf)}<div class="row"><div><label for="rename-hub">Name</label><input id="rename-hub" name="name" value="${v.hub.name}" required maxlength="200"></div><button class="secondary">Rename</button></div></form>
<p class="muted" style="margin-top:16px">Deleting the hub removes its members and messages. Files stay with the people who uploaded them.</p>
${buttonForm(`${base}/delete`, v.csrf, 'Delete hub', { danger: true })}</div>`;
}
