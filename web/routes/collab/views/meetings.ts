import { html, type SafeHtml } from '../../../views/html';
import type { MeetingView } from '../../../../lib/collab/meetings';
import { buttonForm, collabStyles, hidden, personName, when } from './common';

export interface MeetingDraft {
  title?: string;
  startsAt?: string;
  durationMinutes?: string;
  participants?: string;
}

export function meetingsPage(v: { meetings: MeetingView[]; csrf: string; draft?: MeetingDraft }): SafeHtml {
  const d = v.draft ?? {};
  return html`${collabStyles}<h1>Meetings</h1>
<div class="card"><h2>Plan a meeting</h2><form method="post" action="/meetings">${hidden(v.csrf)}
<label for="meeting-title">Title</label><input id="meeting-title" name="title" required maxlength="200" value="${d.title ?? ''}">
<div class="row"><div><label for="meeting-start">Starts (UTC)</label><input id="meeting-start" type="datetime-local" name="startsAt" required value="${d.startsAt ?? ''}"></div>
<div><label for="meeting-duration">Duration (minutes)</label><input id="meeting-duration" type="number" name="durationMinutes" min="1" max="1440" value="${d.durationMinutes ?? '30'}"></div></div>
<label for="meeting-participants">Participants (emails of Entrada users, separated by commas)</label>
<textarea id="meeting-participants" name="participants" rows="2" required>${d.participants ?? ''}</textarea>
<button>Create meeting</button></form></div>
<div class="card"><h2>Your meetings</h2>${
    v.meetings.length
      ? html`<table><thead><tr><th>When</th><th>Title</th><th>Organizer</th><th>Participants</th><th></th></tr></thead><tbody>
${v.meetings.map(
  (
    m,
  ) => html`<tr><td>${when(m.startsAt)}<div class="muted">${m.durationMinutes} min</div></td><td>${m.title}</td><td>${personName(m.organizer)}</td>
<td>${m.participants.map((p, i) => html`${i ? ', ' : ''}${p.displayName || p.email}`)}</td>
<td class="actions">${m.organizing ? buttonForm(`/meetings/${m.id}/delete`, v.csrf, 'Cancel meeting', { danger: true }) : ''}</td></tr>`,
)}</tbody></table>`
      : html`<p class="empty">No meetings planned.</p>`
  }</div>`;
}
