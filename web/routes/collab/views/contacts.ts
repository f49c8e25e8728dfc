import { html, type SafeHtml } from '../../../views/html';
import type { ContactView } from '../../../../lib/collab/contacts';
import { buttonForm, collabStyles, hidden } from './common';

export function contactsPage(v: { contacts: ContactView[]; csrf: string; draft?: { email?: string; name?: string } }): SafeHtml {
  return html`${collabStyles}<h1>Contacts</h1>
<div class="card"><h2>Add a contact</h2><p class="muted">Only you see your contacts.</p>
<form method="post" action="/contacts">${hidden(v.csrf)}<div class="row">
<div><label for="contact-name">Name</label><input id="contact-name" name="name" maxlength="200" value="${v.draft?.name ?? ''}"></div>
<div><label for="contact-email">Email</label><input id="contact-email" type="email" name="email" required value="${v.draft?.email ?? ''}"></div>
<button>Add</button></div></form></div>
<div class="card"><h2>Your contacts</h2>${
    v.contacts.length
      ? html`<table><thead><tr><th>Name</th><th>Email</th><th>On Entrada</th><th></th></tr></thead><tbody>
${v.contacts.map(
  (
    c,
  ) => html`<tr><td>${c.name ?? html`<span class="muted">—</span>`}</td><td>${c.email}</td><td>${c.isUser ? html`<span class="pill">yes</span>` : html`<span class="muted">not yet</span>`}</td>
<td class="actions">${buttonForm(`/contacts/${c.id}/delete`, v.csrf, 'Remove')}</td></tr>`,
)}</tbody></table>`
      : html`<p class="empty">No contacts yet.</p>`
  }</div>`;
}
