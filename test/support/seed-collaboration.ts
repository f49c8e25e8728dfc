import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Types } from 'mongoose';
import { storedFields, writeBlob } from '../../lib/collab/file-storage';
import { ContactModel, FileModel, HubMembershipModel, HubModel, MeetingModel, MessageModel } from '../../lib/models';

export interface SeededWorld {
  files: { id: string; name: string; content: Buffer }[];
  hubs: string[];
  contacts: string[];
  messages: number;
  meetings: string[];
}

/**
 * What a long-time user has: a hub they own and one they were added to, files with content
 * in GridFS (own, in a hub, shared by them and shared with them), contacts, hub messages and
 * meetings (organised and invited to). `other` is a colleague on the other side of each link.
 */
export async function seedCollaboration(userId: Types.ObjectId, other: Types.ObjectId): Promise<SeededWorld> {
  const own = await HubModel.create({ name: 'Quarterly planning', createdBy: userId });
  const theirs = await HubModel.create({ name: 'Design reviews', createdBy: other });
  await HubMembershipModel.create([
    { hubId: own._id, userId, role: 'owner' },
    { hubId: own._id, userId: other, role: 'member' },
    { hubId: theirs._id, userId: other, role: 'owner' },
    { hubId: theirs._id, userId, role: 'member' },
  ]);
  const files: SeededWorld['files'] = [];
  const file = async (name: string, ownerId: Types.ObjectId, extra: Record<string, unknown> = {}) => {
    const content = randomBytes(40_000 + files.length * 1000);
    const blob = await writeBlob(Readable.from([content]), {
      filename: name,
      contentType: 'application/octet-stream',
      maxBytes: 10_000_000,
    });
    const meta = await FileModel.create({ ownerId, name, size: blob.size, ...storedFields(blob), ...extra });
    files.push({ id: String(meta._id), name, content });
  };
  await file('budget.xlsx', userId);
  await file('roadmap.pdf', userId, { hubId: own._id });
  await file('shared-by-me.txt', userId, { sharedWith: [other] });
  await file('shared-with-me.txt', other, { sharedWith: [userId] });
  await ContactModel.create([
    { ownerId: userId, email: 'colleague@contoso.example', name: 'Colleague', contactUserId: other },
    { ownerId: userId, email: 'partner@elsewhere.example', name: 'Partner' },
  ]);
  await MessageModel.create([
    { hubId: own._id, authorId: userId, body: 'Kick-off on Monday.' },
    { hubId: theirs._id, authorId: userId, body: 'Looks good to me.' },
  ]);
  await MeetingModel.create([
    { title: 'Planning sync', startsAt: new Date(Date.now() + 86_400_000), organizerId: userId, hubId: own._id, participantIds: [other] },
    { title: 'Design review', startsAt: new Date(Date.now() + 2 * 86_400_000), organizerId: other, participantIds: [userId] },
  ]);
  return {
    files,
    hubs: ['Design reviews', 'Quarterly planning'],
    contacts: ['colleague@contoso.example', 'partner@elsewhere.example'],
    messages: 2,
    meetings: ['Design review', 'Planning sync'],
  };
}
