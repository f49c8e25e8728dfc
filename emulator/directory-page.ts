/**
 * GET / — the dev "directory" view: every tenant with its metadata URL, certificates, users and
 * their object IDs, so a developer can see which oid Entrada should have bound an account to.
 */
import { layout } from './pages';
import type { Tenant } from './tenants';
import { x as h } from './xml';

function tenantSection(t: Tenant, base: string): string {
  const tenantUrl = `${base}/${encodeURIComponent(t.tenantId)}`;
  const metadata = `${tenantUrl}/federationmetadata/2007-06/federationmetadata.xml`;
  const users = t
    .users()
    .map(
      (u) =>
        `<tr><td>${h(u.displayName)}</td><td>${h(u.email)}</td><td><code>${h(u.objectId)}</code></td>` +
        `<td>${u.groups.length > 5 ? `${u.groups.length} groups` : u.groups.map((g) => `<code>${h(g)}</code>`).join(' ')}</td></tr>`,
    )
    .join('');
  const certs = t
    .signingCertificates()
    .map(
      (c) =>
        `<li><code>${h(c.thumbprint)}</code>${c.active ? ' <b>(active)</b>' : ''} until ${h(c.notAfter.toISOString().slice(0, 10))}</li>`,
    )
    .join('');
  return `<section class="tenant" data-tenant-id="${h(t.tenantId)}"><h2>${h(t.name)}</h2>
<p>Tenant ID <code>${h(t.tenantId)}</code> · signing: ${h(t.signing)} · issuer <code>${h(t.issuer)}</code></p>
<p>Metadata: <a href="${h(metadata)}">${h(metadata)}</a><br>SSO: <code>${h(`${tenantUrl}/saml2`)}</code></p>
<ul>${certs}</ul>
<table><thead><tr><th>Name</th><th>Email</th><th>Object ID</th><th>Groups</th></tr></thead><tbody>${users}</tbody></table></section>`;
}

export function directoryPage(tenants: Tenant[], base: string): string {
  const body = tenants.length
    ? tenants.map((t) => tenantSection(t, base)).join('')
    : '<p>No tenants yet. Create one with <code>POST /_admin/tenants</code>.</p>';
  return layout('Entra ID emulator', `<h1>Entra ID emulator — directory</h1>${body}`, { wide: true });
}
