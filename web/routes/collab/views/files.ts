import { html, type SafeHtml } from '../../../views/html';
import type { FileView } from '../../../../lib/collab/files';
import type { Person } from '../../../../lib/collab/people';
import { buttonForm, collabStyles, formatBytes, hidden, kindPill, personName, when } from './common';

/** The upload form: the CSRF token rides in the action URL, since the body is streamed, not parsed first. */
export function uploadForm(action: string, csrf: string, maxBytes: number): SafeHtml {
  return html`<form method="post" action="${action}?_csrf=${encodeURIComponent(csrf)}" enctype="multipart/form-data">
<div class="row"><div><label for="upload-file">Choose a file <span class="muted">(up to ${formatBytes(maxBytes)})</span></label>
<input id="upload-file" type="file" name="file" required></div><button type="submit">Upload</button></div></form>`;
}

export function filesPage(v: { owned: FileView[]; shared: FileView[]; csrf: string; maxBytes: number }): SafeHtml {
  return html`${collabStyles}<h1>Files</h1>
<div class="card"><h2>Upload</h2>${uploadForm('/files/upload', v.csrf, v.maxBytes)}</div>
<div class="card"><h2>My files</h2>${v.owned.length ? ownedTable(v.owned, v.csrf) : html`<p class="empty">You have not uploaded any files yet.</p>`}</div>
<div class="card"><h2>Shared with me</h2>${v.shared.length ? readOnlyFilesTable(v.shared, 'Owner') : html`<p class="empty">Nobody has shared a file with you yet.</p>`}</div>`;
}

function ownedTable(files: FileView[], csrf: string): SafeHtml {
  return html`<table><thead><tr><th>Name</th><th>Size</th><th>Hub</th><th>Shared with</th><th>Uploaded</th><th></th></tr></thead><tbody>
${files.map(
  (f) => html`<tr>
<td><a href="/files/${f.id}">${f.name}</a></td><td class="nowrap">${formatBytes(f.size)}</td>
<td>${f.hub ? html`<a href="/hubs/${f.hub.id}">${f.hub.name}</a>` : html`<span class="muted">—</span>`}</td>
<td>${f.sharedWithCount ? `${f.sharedWithCount} ${f.sharedWithCount === 1 ? 'person' : 'people'}` : html`<span class="muted">nobody</span>`}</td>
<td class="nowrap">${when(f.createdAt)}</td>
<td class="actions"><a href="/files/${f.id}/download">Download</a>
<details><summary>Manage</summary><div class="panel">
<form class="inline" method="post" action="/files/${f.id}/shares">${hidden(csrf)}<input type="email" name="email" placeholder="Share with email" aria-label="Share ${f.name} with email" required><button>Share</button></form>
<form class="inline" method="post" action="/files/${f.id}/rename">${hidden(csrf)}<input name="name" value="${f.name}" aria-label="New name for ${f.name}" required><button class="secondary">Rename</button></form>
${buttonForm(`/files/${f.id}/delete`, csrf, 'Delete', { danger: true })}
</div></details></td></tr>`,
)}
</tbody></table>`;
}

/** Files the viewer may open and download but not manage (shared with them, or in a hub). */
export function readOnlyFilesTable(files: FileView[], ownerHeading: 'Owner' | 'Uploaded by'): SafeHtml {
  return html`<table><thead><tr><th>Name</th><th>Size</th><th>${ownerHeading}</th><th>Uploaded</th><th></th></tr></thead><tbody>
${files.map(
  (
    f,
  ) => html`<tr><td><a href="/files/${f.id}">${f.name}</a></td><td>${formatBytes(f.size)}</td><td>${personName(f.owner)}</td><td>${when(f.createdAt)}</td>
<td class="actions"><a href="/files/${f.id}/download">Download</a></td></tr>`,
)}
</tbody></table>`;
}

export function fileDetailPage(v: { file: FileView; shares: Person[] | null; csrf: string }): SafeHtml {
  const { file: f, csrf } = v;
  return html`${collabStyles}<p><a href="/files">← Files</a></p>
<div class="card"><div class="head"><h1>${f.name}</h1><a class="button" href="/files/${f.id}/download" style="margin:0">Download</a></div>
<dl class="meta" style="margin-top:16px"><dt>Size</dt><dd>${formatBytes(f.size)} (${f.size.toLocaleString('en')} bytes)</dd><dt>Type</dt><dd>${f.contentType}</dd>
<dt>Owner</dt><dd>${personName(f.owner)}</dd>
${f.hub ? html`<dt>Hub</dt><dd><a href="/hubs/${f.hub.id}">${f.hub.name}</a></dd>` : ''}
<dt>Uploaded</dt><dd>${when(f.createdAt)}</dd><dt>Changed</dt><dd>${when(f.updatedAt)}</dd></dl></div>
${
  f.rights.manage
    ? html`<div class="card"><h2>Rename or delete</h2>
<form method="post" action="/files/${f.id}/rename">${hidden(csrf)}<div class="row"><div><label for="rename">Name</label><input id="rename" name="name" value="${f.name}" required maxlength="255"></div><button>Rename</button></div></form>
<div class="spaced">${buttonForm(`/files/${f.id}/delete`, csrf, 'Delete this file', { danger: true })}</div></div>`
    : ''
}
${v.shares ? sharesCard(f, v.shares, csrf) : ''}`;
}

function sharesCard(f: FileView, shares: Person[], csrf: string): SafeHtml {
  return html`<div class="card"><h2>Sharing</h2>
${
  shares.length
    ? html`<table><tbody>${shares.map((p) => html`<tr><td>${personName(p)}</td><td>${kindPill(p)}</td><td class="actions">${buttonForm(`/files/${f.id}/shares/${p.id}/remove`, csrf, 'Stop sharing')}</td></tr>`)}</tbody></table>`
    : html`<p class="empty">Only you can see this file${f.hub ? ' (and the members of its hub)' : ''}.</p>`
}
<form method="post" action="/files/${f.id}/shares">${hidden(csrf)}<div class="row"><div><label for="share-email">Share with (email of an Entrada user)</label><input id="share-email" type="email" name="email" required></div><button>Share</button></div></form></div>`;
}
