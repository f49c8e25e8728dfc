/** The staff tenant page's card of portal invitations: who was invited, whether they accepted, and re-issue. */
import type { PortalInvite } from '../../lib/models';
import { html, type SafeHtml } from './html';
import { timeTag } from './time';

export function portalInvitesCard(tenantId: string, invites: PortalInvite[], csrf: string): SafeHtml {
  if (invites.length === 0) return html``;
  return html`<div class="card" id="portal-invites"><h2>Admin portal invitations</h2><table>
<thead><tr><th>Admin</th><th>Link</th><th>Accepted</th><th>Action</th></tr></thead>
<tbody>${invites.map(
    (
      i,
    ) => html`<tr data-email="${i.email}"><td>${i.email}</td><td>issued ${timeTag(i.issuedAt.toISOString())} <span class="muted">by ${i.issuedBy}</span></td>
<td>${i.usedAt ? timeTag(i.usedAt.toISOString()) : html`<span class="muted">not yet</span>`}</td>
<td><form method="post" action="/staff/tenants/${tenantId}/portal-invites/reissue"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="email" value="${i.email}"><button class="secondary" aria-label="Re-issue the invitation of ${i.email}">Re-issue</button></form></td></tr>`,
  )}</tbody></table><p class="muted">Re-issuing emails a new link; the previous one stops working.</p></div>`;
}
