/** The admin portal's Access page: who may sign in, who administers, and whether the groups reach us. */
import type { AccessSettings } from '../../lib/portal/access-settings';
import { html, type SafeHtml } from './html';

export const ACCESS_LISTS = [
  {
    key: 'allowedGroups',
    label: 'Allowed groups',
    hint: 'Entra group object IDs whose members may sign in. Empty: everyone assigned to the app.',
  },
  { key: 'allowedRoles', label: 'Allowed app roles', hint: 'App role values (the role claim) that let a user in, whatever their groups.' },
  { key: 'adminGroups', label: 'Admin groups', hint: 'Members of these groups become admins of this portal at their next sign-in.' },
  {
    key: 'adminRoles',
    label: 'Admin app roles',
    hint: 'Users with one of these app roles become admins of this portal at their next sign-in.',
  },
] as const;
export type AccessList = (typeof ACCESS_LISTS)[number]['key'];

function groupClaimsCard(s: AccessSettings): SafeHtml {
  const configured = s.groupsAttribute !== null;
  return html`<div class="card" id="group-claims" data-configured="${String(configured)}"><h2>Group claims</h2>
<p>Groups claim: <strong>${configured ? 'read' : 'not configured'}</strong>${configured ? html` from <code>${s.groupsAttribute}</code>` : ''}.
${s.groupsNeeded ? (configured ? 'Your group rules below rely on it.' : html`<strong>Your group rules below need it</strong>: map a groups attribute in your identity provider, or use app roles.`) : 'No rule below uses groups yet.'}</p>
${
  s.connectionKind === 'entra'
    ? html`<p>In Entra, open the Entrada enterprise application, <em>Single sign-on</em>, <em>Attributes &amp; Claims</em>, <em>Add a group claim</em>, and choose <em>Groups assigned to the application</em> (recommended) or <em>Security groups</em>, with the source attribute <em>Group ID</em>.</p>
<p id="overage"><strong>Overage:</strong> a SAML token holds at most 150 groups. A user in more gets a link instead of the list. ${
        s.overageLookup
          ? "Entrada then asks Microsoft Graph for the user's groups (with the consent you gave), so such users are still judged by their groups."
          : 'Entrada cannot look those up here, so such a user is refused when a group rule applies: emit "Groups assigned to the application" (only the groups assigned to Entrada, which stay few) or use app roles.'
      } Groups provisioned to Entrada by SCIM are used first when the token has none.</p>`
    : html`<p>Your identity provider sends the user's groups in the attribute above, as a list of group names or IDs; there is no overage handling beyond what it sends.</p>`
}</div>`;
}

export function portalAccessView(tid: string, s: AccessSettings, csrf: string): SafeHtml {
  return html`<h1>Access</h1>
${groupClaimsCard(s)}
<form class="card" method="post" action="/portal/${tid}/access" id="access-rules"><h2>Rules</h2>
<input type="hidden" name="_csrf" value="${csrf}">
<p class="muted">One per line. Changes apply from each user's next sign-in and are recorded in your audit trail.</p>
${ACCESS_LISTS.map(
  (l) =>
    html`<label for="${l.key}">${l.label}</label><textarea id="${l.key}" name="${l.key}" rows="3" aria-describedby="${l.key}-hint">${s[l.key].join('\n')}</textarea><p class="muted" id="${l.key}-hint">${l.hint}</p>`,
)}
<button>Save access rules</button></form>`;
}
