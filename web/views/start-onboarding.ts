/**
 * The staff console's start-onboarding form. The connection kind decides the rest: Entra asks for
 * the tenant ID; Okta for the app's NameID format; a generic SAML IdP for the choices its metadata
 * cannot give (signing, NameID format, attribute names). Fields of the other kinds sit in disabled
 * fieldsets, so they are neither validated by the browser nor posted (lib/onboarding/start-form.ts).
 */
import { CONNECTION_KIND_LABELS as KINDS } from './connection-kinds';
import { html, raw, type SafeHtml } from './html';

const select = (id: string, label: string, value: string, options: Record<string, string>) =>
  html`<label for="${id}">${label}</label><select id="${id}" name="${id}">${Object.entries(options).map(
    ([key, text]) => html`<option value="${key}"${key === value ? raw(' selected') : ''}>${text}</option>`,
  )}</select>`;

export function newOnboardingView(csrf: string, values: Record<string, unknown> = {}, error?: string): SafeHtml {
  const v = (k: string) => (Array.isArray(values[k]) ? (values[k] as string[]).join(', ') : String(values[k] ?? ''));
  const kind = Object.hasOwn(KINDS, v('kind')) ? v('kind') : 'entra';
  const part = (k: keyof typeof KINDS, body: SafeHtml) =>
    html`<fieldset style="border:0;padding:0;margin:0" data-kind="${k}"${k === kind ? '' : raw(' disabled hidden')}>${body}</fieldset>`;
  return html`<p><a href="/staff/tenants">← Tenants</a></p><h1>Start onboarding</h1>
${error ? html`<div class="notice error" role="alert">${error}</div>` : ''}
<form class="card" method="post" action="/staff/tenants">
<input type="hidden" name="_csrf" value="${csrf}">
${select('kind', 'Identity provider', kind, KINDS)}
${part(
  'entra',
  html`<label for="tenantId">Entra tenant ID</label><input id="tenantId" name="tenantId" required placeholder="6e89e984-81f7-4e1d-b40b-d638ccf7c2b0" value="${v('tenantId')}">
<p class="muted">The customer's Directory (tenant) ID from the Entra admin centre. Not "common", "organizations" or "consumers".</p>`,
)}
<label for="orgName">Organisation name</label><input id="orgName" name="orgName" required maxlength="200" value="${v('orgName')}">
<label for="adminEmails">Admin contact emails</label><input id="adminEmails" name="adminEmails" required placeholder="it-admin@contoso.com, cio@contoso.com" value="${v('adminEmails')}">
<p class="muted">They receive the admin-consent link (Entra) or our SP metadata (other kinds); separate several with commas.</p>
<label for="proposedDomains">Proposed SSO domains</label><input id="proposedDomains" name="proposedDomains" placeholder="contoso.com" value="${v('proposedDomains')}">
<p class="muted">Claimed when testing starts and enforced at go-live. Public mail domains are refused.</p>
${part('entra', html`<label for="appId">Entrada's application ID in the tenant (optional)</label><input id="appId" name="appId" value="${v('appId')}">`)}
${part('okta', select('oktaNameId', 'Okta app: Name ID format', v('oktaNameId') || 'email', { email: 'EmailAddress', persistent: 'Persistent' }))}
${part(
  'saml',
  html`${select('signing', 'The IdP signs', v('signing') || 'assertion', { assertion: 'the Assertion', response: 'the Response', both: 'both' })}
${select('nameIdFormat', 'NameID format', v('nameIdFormat') || 'persistent', { persistent: 'persistent', email: 'emailAddress', unspecified: 'unspecified' })}
<label for="subjectAttribute">Stable subject attribute</label><input id="subjectAttribute" name="subjectAttribute" value="${v('subjectAttribute')}">
<p class="muted">Empty: the persistent NameID is the subject.</p>
<label for="emailAttribute">Email attribute</label><input id="emailAttribute" name="emailAttribute" required placeholder="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" value="${v('emailAttribute')}">
<label for="givenNameAttribute">Given name attribute (optional)</label><input id="givenNameAttribute" name="givenNameAttribute" value="${v('givenNameAttribute')}">
<label for="familyNameAttribute">Family name attribute (optional)</label><input id="familyNameAttribute" name="familyNameAttribute" value="${v('familyNameAttribute')}">
<label for="groupsAttribute">Groups attribute (optional)</label><input id="groupsAttribute" name="groupsAttribute" value="${v('groupsAttribute')}">`,
)}
<button id="start-onboarding">Start onboarding</button>
</form>
<script>document.getElementById('kind').addEventListener('change', (e) => { for (const f of document.querySelectorAll('fieldset[data-kind]')) { const off = f.dataset.kind !== e.target.value; f.disabled = off; f.hidden = off; } });</script>`;
}
