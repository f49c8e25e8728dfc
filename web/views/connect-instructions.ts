/**
 * Step-by-step setup at the customer's IdP, per connection kind, with our SP values filled in:
 * Entra as numbered steps, Okta and any other SAML IdP as the field list of docs/idp/.
 */
import type { ConnectionKind, SpValues } from '../../lib/portal/connect';
import { html, type SafeHtml } from './html';

const code = (v: string) => html`<code>${v}</code>`;

function entraSteps(sp: SpValues): SafeHtml {
  return html`<ol class="steps">
<li>In the Microsoft Entra admin center open <strong>Enterprise applications → New application → Create your own application</strong>, name it (for example “Entrada”) and choose <em>Integrate any other application you don't find in the gallery (Non-gallery)</em>.</li>
<li>Open <strong>Single sign-on</strong> and choose <strong>SAML</strong>.</li>
<li>Under <strong>Basic SAML Configuration</strong>, choose <em>Upload metadata file</em> with our SP metadata (download it above), or enter: Identifier (Entity ID) ${code(sp.entityId)}, Reply URL (Assertion Consumer Service URL) ${code(sp.acsUrl)}, Logout URL ${code(sp.logoutUrl)}. Save.</li>
<li>Under <strong>Attributes &amp; Claims</strong>, keep the defaults: the email address (<code>user.mail</code>), the name ID, and the object and tenant ID claims Entra always sends. To gate sign-in by group, add a group claim with <em>Groups assigned to the application</em>.</li>
<li>Under <strong>SAML Certificates</strong>, keep <em>Signing Option: Sign SAML assertion</em> and <em>SHA-256</em>.</li>
<li>Under <strong>Users and groups</strong>, assign your test users first (everyone else once you go live).</li>
<li>Here: fetch your federation metadata with the application ID from the app's <strong>Properties</strong> page, or upload the <em>Federation Metadata XML</em> from SAML Certificates.</li>
</ol>`;
}

type Row = [field: string, value: SafeHtml | string];

const table = (rows: Row[]) =>
  html`<table class="fields"><thead><tr><th>Field at your IdP</th><th>Value</th></tr></thead><tbody>${rows.map(([f, v]) => html`<tr><td>${f}</td><td>${v}</td></tr>`)}</tbody></table>`;

const oktaFields = (sp: SpValues): Row[] => [
  ['Single sign-on URL (and “Use this for Recipient URL and Destination URL”)', code(sp.acsUrl)],
  ['Audience URI (SP Entity ID)', code(sp.entityId)],
  ['Name ID format', html`${code('EmailAddress')} (or ${code('Persistent')}, as agreed at the start)`],
  ['Application username', code('Email')],
  ['Response / Assertion Signature', html`${code('Signed')} / ${code('Signed')}`],
  ['Signature Algorithm / Digest', html`${code('RSA-SHA256')} / ${code('SHA256')}`],
  ['Attribute statement userId (Unspecified)', code('user.id')],
  ['Attribute statements email, firstName, lastName', html`${code('user.email')}, ${code('user.firstName')}, ${code('user.lastName')}`],
  ['Group attribute statement groups', html`a filter, for example Matches regex ${code('.*')}`],
];

const samlFields = (sp: SpValues): Row[] => [
  ['Relying party / SP metadata (if your IdP imports it)', code(sp.metadataUrl)],
  ['Entity ID (relying party identifier, Audience)', code(sp.entityId)],
  ['Assertion Consumer Service, HTTP-POST (Recipient, Destination)', code(sp.acsUrl)],
  ['Single logout endpoint', code(sp.logoutUrl)],
  ['Signature', 'assertion, response or both, as agreed at the start; SHA-256'],
  ['Name ID', 'persistent identifier (or the email, as agreed at the start)'],
  ['Attributes', 'email address, given name, surname, and groups if sign-in is gated by group'],
];

export function connectInstructions(kind: ConnectionKind, sp: SpValues): SafeHtml {
  if (kind === 'entra') return entraSteps(sp);
  const intro =
    kind === 'okta'
      ? html`<p>In the Okta admin console: <strong>Applications → Create App Integration → SAML 2.0</strong>, then fill in:</p>`
      : html`<p>At your SAML 2.0 identity provider (for AD FS: a claims-aware relying party trust), set:</p>`;
  return html`${intro}${table(kind === 'okta' ? oktaFields(sp) : samlFields(sp))}
<p>Then give us your IdP's metadata below: its metadata URL, or its metadata XML.</p>`;
}
