import { beforeAll, describe, expect, test } from 'vitest';
import { addContact } from '../../lib/collab/contacts';
import { uploadFile } from '../../lib/collab/files';
import { addMember } from '../../lib/collab/hub-members';
import { createHub } from '../../lib/collab/hubs';
import { createMeeting } from '../../lib/collab/meetings';
import { postMessage } from '../../lib/collab/messages';
import { shareFile } from '../../lib/collab/sharing';
import { AuditEventModel, ContactModel, FileModel, HubMembershipModel, HubModel, MeetingModel, MessageModel } from '../../lib/models';
import { blobCounts, bytesUpload, fileForm, person, type TestPerson } from './support';
import { useStack } from '../support/stack';

/**
 * Every authorization rule of lib/collab/access.ts through the JSON API, allowed and refused:
 * 404 where the caller may not know the thing exists, 403 where they see it but may not
 * change it (audited as "denied"), and a refusal changes nothing.
 *
 * Cast: owner (owns `personal`, shares it with sharee, organizes `meeting` with sharee,
 * owns `contact`); in `hub`: hubOwner, admin, uploader (member, owns `hubFile`), member;
 * outsider belongs to nothing.
 */
const CAST = ['owner', 'sharee', 'hubOwner', 'admin', 'uploader', 'member', 'outsider'] as const;
type Who = (typeof CAST)[number];

const people = {} as Record<Who, TestPerson>;
const stack = useStack();
beforeAll(async () => {
  for (const who of CAST) people[who] = await person(stack.env.baseUrl, `${who.toLowerCase()}@example.test`);
});

let worlds = 0;

/** A fresh world per case, built through the services, so every case starts from the same state. */
async function world() {
  const [owner, sharee, hubOwner, admin, uploader, member] = [
    people.owner,
    people.sharee,
    people.hubOwner,
    people.admin,
    people.uploader,
    people.member,
  ];
  const hub = await createHub(hubOwner.actor, 'Research');
  await addMember(hubOwner.actor, hub.id, admin.email, 'admin');
  await addMember(hubOwner.actor, hub.id, uploader.email, 'member');
  await addMember(hubOwner.actor, hub.id, member.email, 'member');
  const personal = await uploadFile(owner.actor, { receive: bytesUpload('personal.txt') });
  await shareFile(owner.actor, personal.id, sharee.email);
  const hubFile = await uploadFile(uploader.actor, { hubId: hub.id, receive: bytesUpload('hub.txt') });
  await postMessage(member.actor, hub.id, 'hello');
  const contact = await addContact(owner.actor, { email: `friend${++worlds}@elsewhere.test`, name: 'Friend' });
  const meeting = await createMeeting(owner.actor, {
    title: 'Sync',
    startsAt: new Date('2031-01-01T10:00:00Z'),
    participantEmails: [sharee.email],
  });
  return {
    hub: hub.id,
    personal: personal.id,
    hubFile: hubFile.id,
    contact: contact.id,
    meeting: meeting.id,
    adminId: admin.id,
    memberId: member.id,
    hubOwnerId: hubOwner.id,
    shareeId: sharee.id,
  };
}
type World = Awaited<ReturnType<typeof world>>;

/** Everything a refused request might have touched. */
async function snapshot(w: World) {
  const [files, hubFiles, blobs, hub, memberships, messages, contact, meeting] = await Promise.all([
    FileModel.find({ _id: { $in: [w.personal, w.hubFile] } }, { name: 1, sharedWith: 1, hubId: 1 })
      .sort({ _id: 1 })
      .lean(),
    FileModel.countDocuments({ hubId: w.hub }),
    blobCounts(),
    HubModel.findById(w.hub, { name: 1 }).lean(),
    HubMembershipModel.find({ hubId: w.hub }, { userId: 1, role: 1 }).sort({ _id: 1 }).lean(),
    MessageModel.countDocuments({ hubId: w.hub }),
    ContactModel.findById(w.contact, { name: 1 }).lean(),
    MeetingModel.findById(w.meeting, { title: 1, participantIds: 1 }).lean(),
  ]);
  return JSON.parse(JSON.stringify({ files, hubFiles, blobs, hub, memberships, messages, contact, meeting }));
}

type Case = [who: Who, request: string, status: number, body?: unknown];

const CASES: Record<string, Case[]> = {
  'a personal file: owner and sharee read, only the owner changes or shares it': [
    ['owner', 'GET /api/files/{personal}', 200],
    ['sharee', 'GET /api/files/{personal}', 200],
    ['sharee', 'GET /api/files/{personal}/content', 200],
    ['outsider', 'GET /api/files/{personal}', 404],
    ['outsider', 'GET /api/files/{personal}/content', 404],
    ['hubOwner', 'GET /api/files/{personal}', 404],
    ['owner', 'PATCH /api/files/{personal}', 200, { name: 'renamed.txt' }],
    ['sharee', 'PATCH /api/files/{personal}', 403, { name: 'renamed.txt' }],
    ['outsider', 'PATCH /api/files/{personal}', 404, { name: 'renamed.txt' }],
    ['owner', 'DELETE /api/files/{personal}', 204],
    ['sharee', 'DELETE /api/files/{personal}', 403],
    ['outsider', 'DELETE /api/files/{personal}', 404],
    ['owner', 'GET /api/files/{personal}/shares', 200],
    ['sharee', 'GET /api/files/{personal}/shares', 403],
    ['outsider', 'GET /api/files/{personal}/shares', 404],
    ['owner', 'POST /api/files/{personal}/shares', 201, { email: 'outsider@example.test' }],
    ['sharee', 'POST /api/files/{personal}/shares', 403, { email: 'outsider@example.test' }],
    ['outsider', 'POST /api/files/{personal}/shares', 404, { email: 'outsider@example.test' }],
    ['owner', 'DELETE /api/files/{personal}/shares/{shareeId}', 204],
    ['sharee', 'DELETE /api/files/{personal}/shares/{shareeId}', 403],
    ['outsider', 'DELETE /api/files/{personal}/shares/{shareeId}', 404],
  ],
  'a hub file: every member reads it; its owner and hub owners/admins manage it; only its owner shares it': [
    ['uploader', 'GET /api/files/{hubFile}/content', 200],
    ['member', 'GET /api/files/{hubFile}/content', 200],
    ['admin', 'GET /api/files/{hubFile}', 200],
    ['outsider', 'GET /api/files/{hubFile}/content', 404],
    ['uploader', 'PATCH /api/files/{hubFile}', 200, { name: 'x.txt' }],
    ['hubOwner', 'PATCH /api/files/{hubFile}', 200, { name: 'x.txt' }],
    ['admin', 'PATCH /api/files/{hubFile}', 200, { name: 'x.txt' }],
    ['member', 'PATCH /api/files/{hubFile}', 403, { name: 'x.txt' }],
    ['admin', 'DELETE /api/files/{hubFile}', 204],
    ['hubOwner', 'DELETE /api/files/{hubFile}', 204],
    ['member', 'DELETE /api/files/{hubFile}', 403],
    ['outsider', 'DELETE /api/files/{hubFile}', 404],
    ['uploader', 'POST /api/files/{hubFile}/shares', 201, { email: 'outsider@example.test' }],
    ['hubOwner', 'POST /api/files/{hubFile}/shares', 403, { email: 'outsider@example.test' }],
    ['admin', 'POST /api/files/{hubFile}/shares', 403, { email: 'outsider@example.test' }],
    ['member', 'POST /api/files/{hubFile}/shares', 403, { email: 'outsider@example.test' }],
  ],
  'a hub: members read and post; outsiders learn nothing': [
    ['member', 'GET /api/hubs/{hub}', 200],
    ['outsider', 'GET /api/hubs/{hub}', 404],
    ['member', 'GET /api/hubs/{hub}/members', 200],
    ['outsider', 'GET /api/hubs/{hub}/members', 404],
    ['member', 'GET /api/hubs/{hub}/files', 200],
    ['outsider', 'GET /api/hubs/{hub}/files', 404],
    ['member', 'GET /api/hubs/{hub}/messages', 200],
    ['outsider', 'GET /api/hubs/{hub}/messages', 404],
    ['member', 'POST /api/hubs/{hub}/messages', 201, { body: 'hi' }],
    ['outsider', 'POST /api/hubs/{hub}/messages', 404, { body: 'hi' }],
    ['member', 'UPLOAD {hub}', 201],
    ['outsider', 'UPLOAD {hub}', 404],
  ],
  'hub members and roles: owners manage everyone, admins only plain members, members nobody': [
    ['hubOwner', 'POST /api/hubs/{hub}/members', 201, { email: 'outsider@example.test', role: 'admin' }],
    ['admin', 'POST /api/hubs/{hub}/members', 201, { email: 'outsider@example.test' }],
    ['admin', 'POST /api/hubs/{hub}/members', 403, { email: 'outsider@example.test', role: 'admin' }],
    ['admin', 'POST /api/hubs/{hub}/members', 403, { email: 'outsider@example.test', role: 'owner' }],
    ['member', 'POST /api/hubs/{hub}/members', 403, { email: 'outsider@example.test' }],
    ['outsider', 'POST /api/hubs/{hub}/members', 404, { email: 'outsider@example.test' }],
    ['hubOwner', 'PATCH /api/hubs/{hub}/members/{memberId}', 200, { role: 'admin' }],
    ['hubOwner', 'PATCH /api/hubs/{hub}/members/{memberId}', 200, { role: 'owner' }],
    ['hubOwner', 'PATCH /api/hubs/{hub}/members/{adminId}', 200, { role: 'member' }],
    ['admin', 'PATCH /api/hubs/{hub}/members/{memberId}', 403, { role: 'admin' }],
    ['admin', 'PATCH /api/hubs/{hub}/members/{adminId}', 403, { role: 'member' }],
    ['admin', 'PATCH /api/hubs/{hub}/members/{hubOwnerId}', 403, { role: 'member' }],
    ['member', 'PATCH /api/hubs/{hub}/members/{memberId}', 403, { role: 'admin' }],
    ['outsider', 'PATCH /api/hubs/{hub}/members/{memberId}', 404, { role: 'admin' }],
    ['hubOwner', 'DELETE /api/hubs/{hub}/members/{adminId}', 204],
    ['admin', 'DELETE /api/hubs/{hub}/members/{memberId}', 204],
    ['admin', 'DELETE /api/hubs/{hub}/members/{hubOwnerId}', 403],
    ['member', 'DELETE /api/hubs/{hub}/members/{adminId}', 403],
    ['member', 'DELETE /api/hubs/{hub}/members/{memberId}', 204],
    ['outsider', 'DELETE /api/hubs/{hub}/members/{memberId}', 404],
  ],
  'the hub itself: only its owner renames or deletes it': [
    ['hubOwner', 'PATCH /api/hubs/{hub}', 200, { name: 'Renamed' }],
    ['admin', 'PATCH /api/hubs/{hub}', 403, { name: 'Renamed' }],
    ['hubOwner', 'DELETE /api/hubs/{hub}', 204],
    ['admin', 'DELETE /api/hubs/{hub}', 403],
    ['member', 'DELETE /api/hubs/{hub}', 403],
    ['outsider', 'DELETE /api/hubs/{hub}', 404],
  ],
  'contacts are private to their owner': [
    ['owner', 'PATCH /api/contacts/{contact}', 200, { name: 'Best friend' }],
    ['owner', 'DELETE /api/contacts/{contact}', 204],
    ['sharee', 'PATCH /api/contacts/{contact}', 404, { name: 'Mine now' }],
    ['outsider', 'DELETE /api/contacts/{contact}', 404],
  ],
  'meetings: organizer and participants see it, only the organizer cancels it': [
    ['owner', 'GET /api/meetings/{meeting}', 200],
    ['sharee', 'GET /api/meetings/{meeting}', 200],
    ['outsider', 'GET /api/meetings/{meeting}', 404],
    ['owner', 'DELETE /api/meetings/{meeting}', 204],
    ['sharee', 'DELETE /api/meetings/{meeting}', 403],
    ['outsider', 'DELETE /api/meetings/{meeting}', 404],
  ],
};

describe.each(Object.entries(CASES))('%s', (_rule, cases) => {
  test.each(cases)('%s: %s → %i', async (who, request, status, body) => {
    const w = await world();
    const [method, template] = request.split(' ');
    const path = template.replace(/\{(\w+)\}/g, (_, key: keyof World) => w[key]);
    const http = people[who].http;
    const before = await snapshot(w);
    const res =
      method === 'UPLOAD'
        ? await http.request('POST', `/api/files?hubId=${path}`, {
            body: fileForm(new Uint8Array(10), 'u.bin'),
            headers: { accept: 'application/json', 'x-csrf-token': http.csrf },
          })
        : await http.request(method, path, {
            body: body === undefined ? undefined : JSON.stringify(body),
            headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': http.csrf },
          });
    const text = await res.text();
    expect(res.status, text).toBe(status);
    if (status < 400) return;

    expect(JSON.parse(text).error.message).toEqual(expect.any(String));
    expect(await snapshot(w), 'a refused request changes nothing').toEqual(before);
    const denied = await AuditEventModel.countDocuments({
      outcome: 'denied',
      'actor.userId': people[who].id,
      at: { $gte: new Date(Date.now() - 10_000) },
      'target.id': { $in: Object.values(w) },
    });
    expect(denied, status === 403 ? 'a 403 is audited' : 'a 404 reveals nothing, not even in the audit of the thing').toBe(
      status === 403 ? 1 : 0,
    );
  });
});
