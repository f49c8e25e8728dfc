/** The portal's Connect page: our SP values and metadata, setup steps, the certificates we hold, the metadata import. */
import type { OnboardingState } from '../../lib/contracts/onboarding-state';
import type { ConnectInfo, HeldCertificate } from '../../lib/portal/connect';
import { connectInstructions } from './connect-instructions';
import { html, type SafeHtml } from './html';
import { timeTag } from './time';

const KIND_NAMES = { entra: 'Microsoft Entra ID', okta: 'Okta', saml: 'SAML 2.0 identity provider' } as const;

const form = (tid: string, csrf: string, name: string, label: string, fields: SafeHtml) =>
  html`<form method="post" action="/portal/${tid}/connect/${name}" data-action="${name}"><input type="hidden" name="_csrf" value="${csrf}">${fields}<button>${label}</button></form>`;

function certificateRow(c: HeldCertificate): SafeHtml {
  const left =
    c.daysLeft < 0
      ? html`<span class="pill warning">expired</span>`
      : c.expiring
        ? html`<span class="pill warning">expires in ${String(c.daysLeft)} days</span>`
        : html`<span class="muted">${String(c.daysLeft)} days left</span>`;
  return html`<tr data-sha256="${c.sha256}" data-expiring="${String(c.expiring)}"><td><code class="thumbprint">${c.sha256}</code><div class="muted">SHA-1 ${c.sha1}</div></td><td>${timeTag(c.notAfter)} ${left}</td><td class="muted">${c.subject}</td></tr>`;
}

function identityProviderCard(info: ConnectInfo, state: OnboardingState | undefined): SafeHtml {
  const expiring = info.certificates.filter((c) => c.expiring);
  return html`<div class="card" id="idp"><h2>Your identity provider</h2>
${state?.metadataError ? html`<p class="notice error" id="metadata-error">Last import refused (${timeTag(state.metadataError.at)}): ${state.metadataError.message}</p>` : ''}
${
  info.idpEntityId
    ? html`<table><tr><th scope="row">IdP entity ID</th><td>${info.idpEntityId}</td></tr><tr><th scope="row">Sign-in URL</th><td>${info.ssoUrl ?? ''}</td></tr></table>`
    : html`<p class="muted">No metadata imported yet.</p>`
}
${expiring.length ? html`<p class="notice error" id="certificate-warning">A signing certificate expires within 30 days (or has expired): create a new one at your IdP, then import the metadata again here.</p>` : ''}
${
  info.certificates.length
    ? html`<table id="certificates"><thead><tr><th>Signing certificate (SHA-256 thumbprint)</th><th>Expires</th><th>Subject</th></tr></thead><tbody>${info.certificates.map(certificateRow)}</tbody></table>`
    : ''
}</div>`;
}

function importCard(info: ConnectInfo, state: OnboardingState | undefined, csrf: string): SafeHtml {
  const tid = info.tenantId;
  const fetch =
    info.kind === 'entra'
      ? form(
          tid,
          csrf,
          'fetch-metadata',
          'Fetch metadata from Entra',
          html`<label for="appId">Application ID (from the app's Properties page; empty: the tenant's metadata)</label><input id="appId" name="appId" value="${state?.input.appId ?? ''}">`,
        )
      : form(
          tid,
          csrf,
          'fetch-idp-metadata',
          'Fetch metadata from its URL',
          html`<label for="url">Your IdP's metadata URL (https)</label><input id="url" name="url" type="url" required>`,
        );
  return html`<div class="card" id="import"><h2>Import your metadata</h2>
${fetch}
${form(tid, csrf, 'upload-metadata', 'Upload metadata XML', html`<label for="xml-file">Federation metadata XML file</label><input type="file" id="xml-file" accept=".xml,text/xml"><label for="xml">…or its XML</label><textarea id="xml" name="xml" rows="4" required></textarea>`)}
<script>document.getElementById('xml-file').addEventListener('change', (e) => { const f = e.target.files[0]; if (f) f.text().then((t) => { document.getElementById('xml').value = t; }); });</script></div>`;
}

export function portalConnectView(name: string, info: ConnectInfo, state: OnboardingState | undefined, csrf: string): SafeHtml {
  const { sp } = info;
  return html`<p><a href="/portal/${info.tenantId}">← ${name}</a></p>
<h1>Connect ${name}</h1>
<div class="card" id="sp-values"><h2>Our service provider values</h2><table>
<tr><th scope="row">Entity ID (Identifier)</th><td><code>${sp.entityId}</code></td></tr>
<tr><th scope="row">ACS URL (Reply URL)</th><td><code>${sp.acsUrl}</code></td></tr>
<tr><th scope="row">Sign-out URL (Logout URL)</th><td><code>${sp.logoutUrl}</code></td></tr>
</table><p><a class="button secondary" id="sp-metadata" href="${sp.metadataUrl}" download>Download our SP metadata</a></p></div>
<div class="card" id="instructions"><h2>Set up ${KIND_NAMES[info.kind]}</h2>${connectInstructions(info.kind, sp)}</div>
${identityProviderCard(info, state)}
${importCard(info, state, csrf)}`;
}
