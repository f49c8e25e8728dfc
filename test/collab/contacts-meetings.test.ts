import { beforeAll, describe, expect, test } from 'vitest';
import { listMeetings } from '../../lib/collab/meetings';
import { ContactModel, MeetingModel } from '../../lib/models';
import { people, type TestPerson } from './support';
import { useStack } from '../support/stack';

const stack = useStack();
let ada: TestPerson;
let bob: TestPerson;
let sso: TestPerson;
let eve: TestPerson;
beforeAll(async () => {
  [ada, bob, sso, eve] = await people(
    stack.env.baseUrl,
    'ada@example.test',
    'bob@example.test',
    ['carol@contoso.example', 'sso'],
    'eve@example.test',
  );
});

describe('contacts', () => {
  test('added by the page and the API, private to their owner, linked to users when they exist', async () => {
    await ada.http.get('/contacts');
    await ada.http.postForm('/contacts', { name: 'Bob B.', email: 'BOB@example.test' });
    expect(ada.http.lastHtml).toContain('Contact added.');
    const created = await ada.http.api('POST', '/api/contacts', { email: 'outside@partner.example' });
    expect(created).toMatchObject({ status: 201, body: { contact: { email: 'outside@partner.example', name: null, isUser: false } } });

    const { body } = await ada.http.api('GET', '/api/contacts');
    expect(body.contacts.map((c: { email: string; isUser: boolean }) => [c.email, c.isUser])).toEqual([
      ['bob@example.test', true], // "Bob B."
      ['outside@partner.example', false],
    ]);
    expect((await bob.http.api('GET', '/api/contacts')).body.contacts).toEqual([]);
    await bob.http.get('/contacts');
    expect(bob.http.lastHtml).not.toContain('outside@partner.example');
  });

  test('duplicates and bad input are refused with a reason and nothing is written', async () => {
    const before = await ContactModel.countDocuments();
    const dup = await ada.http.api('POST', '/api/contacts', { email: 'bob@example.test', name: 'Again' });
    expect(dup).toMatchObject({ status: 409, body: { error: { message: 'bob@example.test is already in your contacts.' } } });
    expect((await ada.http.api('POST', '/api/contacts', { name: 'No email' })).status).toBe(400);
    expect((await ada.http.api('POST', '/api/contacts', { email: 'x@y.z', name: 'n'.repeat(201) })).status).toBe(400);
    const page = await ada.http.postForm('/contacts', { email: 'not-an-email' });
    expect(page.status).toBe(400);
    expect(ada.http.lastHtml).toContain('Enter a valid email address');
    expect(await ContactModel.countDocuments()).toBe(before);
  });

  test('renamed and removed by their owner', async () => {
    const { body } = await ada.http.api('POST', '/api/contacts', { email: 'temp@example.test' });
    expect((await ada.http.api('PATCH', `/api/contacts/${body.contact.id}`, { name: 'Temp' })).body.contact.name).toBe('Temp');
    await ada.http.get('/contacts');
    await ada.http.postForm(`/contacts/${body.contact.id}/delete`, {});
    expect(ada.http.lastHtml).toContain('Contact removed.');
    expect(await ContactModel.countDocuments({ _id: body.contact.id })).toBe(0);
  });
});

describe('meetings', () => {
  test('created on the page with participants by email; organizer and participants see it, others do not', async () => {
    await ada.http.get('/meetings');
    await ada.http.postForm('/meetings', {
      title: 'Kick-off',
      startsAt: '2031-03-04T09:30',
      durationMinutes: '45',
      participants: `${bob.email}, ${sso.email}`,
    });
    expect(ada.http.lastHtml).toContain('Meeting created.');
    expect(ada.http.lastHtml).toContain('2031-03-04 09:30 UTC');

    const [meeting] = (await ada.http.api('GET', '/api/meetings')).body.meetings;
    expect(meeting).toMatchObject({
      title: 'Kick-off',
      startsAt: '2031-03-04T09:30:00.000Z',
      durationMinutes: 45,
      organizing: true,
      organizer: { email: ada.email },
      participants: [expect.objectContaining({ email: bob.email }), expect.objectContaining({ email: sso.email, kind: 'sso' })],
    });
    expect((await bob.http.api('GET', '/api/meetings')).body.meetings).toEqual([
      expect.objectContaining({ id: meeting.id, organizing: false }),
    ]);
    expect((await listMeetings(sso.actor)).map((m) => m.id)).toEqual([meeting.id]);
    expect((await eve.http.api('GET', '/api/meetings')).body.meetings).toEqual([]);

    await bob.http.get('/meetings');
    expect(bob.http.lastHtml).toContain('Kick-off');
    expect(bob.http.lastHtml).not.toContain(`/meetings/${meeting.id}/delete`);
  });

  test('the API takes ISO times and a list; soonest first', async () => {
    await ada.http.api('POST', '/api/meetings', { title: 'Later', startsAt: '2032-01-01T12:00:00+02:00', participants: [eve.email] });
    await ada.http.api('POST', '/api/meetings', {
      title: 'Sooner',
      startsAt: '2030-01-01T08:00:00Z',
      participants: [eve.email, eve.email],
    });
    const { body } = await eve.http.api('GET', '/api/meetings');
    expect(
      body.meetings.map((m: { title: string; startsAt: string; participants: unknown[] }) => [m.title, m.startsAt, m.participants.length]),
    ).toEqual([
      ['Sooner', '2030-01-01T08:00:00.000Z', 1],
      ['Later', '2032-01-01T10:00:00.000Z', 1],
    ]);
  });

  test.each([
    {
      label: 'an unknown participant',
      body: { title: 'X', startsAt: '2031-01-01T10:00Z', participants: ['bob@example.test', 'ghost@example.test'] },
      status: 404,
      message: /ghost@example.test/,
    },
    {
      label: 'no participants',
      body: { title: 'X', startsAt: '2031-01-01T10:00Z', participants: [] },
      status: 400,
      message: /at least one participant/,
    },
    { label: 'no title', body: { startsAt: '2031-01-01T10:00Z', participants: ['bob@example.test'] }, status: 400, message: /title/ },
    {
      label: 'a bad time',
      body: { title: 'X', startsAt: 'tomorrow', participants: ['bob@example.test'] },
      status: 400,
      message: /start time/,
    },
    {
      label: 'a zero duration',
      body: { title: 'X', startsAt: '2031-01-01T10:00Z', durationMinutes: 0, participants: ['bob@example.test'] },
      status: 400,
      message: /at least a minute/,
    },
  ])('$label → $status, nothing created', async ({ body, status, message }) => {
    const before = await MeetingModel.countDocuments();
    const res = await ada.http.api('POST', '/api/meetings', body);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(await MeetingModel.countDocuments()).toBe(before);
  });

  test('the organizer cancels from the page; a participant cannot', async () => {
    const { body } = await ada.http.api('POST', '/api/meetings', {
      title: 'Cancel me',
      startsAt: '2031-05-05T10:00Z',
      participants: [bob.email],
    });
    expect((await bob.http.api('DELETE', `/api/meetings/${body.meeting.id}`)).status).toBe(403);
    await ada.http.get('/meetings');
    await ada.http.postForm(`/meetings/${body.meeting.id}/delete`, {});
    expect(ada.http.lastHtml).toContain('Meeting cancelled.');
    expect((await bob.http.api('GET', `/api/meetings/${body.meeting.id}`)).status).toBe(404);
  });
});
