import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Types } from 'mongoose';
import { deleteBlob, storedFields, writeBlob } from './collab/file-storage';
import { ContactModel, FileModel, HubMembershipModel, HubModel, MeetingModel, MessageModel, UserModel, type HubRole } from './models';
import { hashPassword } from './passwords';

/**
 * A demo organisation: standard (password) users of one domain, plus one partner outside it,
 * owning hubs, files (real bytes in GridFS), contacts, hub messages and meetings. Used by
 * `npm run cli -- seed`, the dev stack and later tests (migration keeps all of it; deletion
 * purges it). Written directly with the models, keeping their invariants (a hub has an owner).
 *
 * Idempotent and self-healing: each object is looked up by its natural key before it is
 * created, so a second run (or a run after a crash half-way) adds only what is missing.
 * Existing users keep the password they were first seeded with.
 */
export const DEMO_PASSWORD = 'Entrada-demo-2025';

type PersonKey = 'adele' | 'alex' | 'megan' | 'lee' | 'partner';
const PEOPLE: { key: PersonKey; name: string; local: string; external?: true }[] = [
  { key: 'adele', name: 'Adele Vance', local: 'adele.vance' },
  { key: 'alex', name: 'Alex Wilber', local: 'alex.wilber' },
  { key: 'megan', name: 'Megan Bowen', local: 'megan.bowen' },
  { key: 'lee', name: 'Lee Gu', local: 'lee.gu' },
  { key: 'partner', name: 'Pat Partner', local: 'pat', external: true },
];

const HUBS: { name: string; owner: PersonKey; members: Partial<Record<PersonKey, Exclude<HubRole, 'owner'>>> }[] = [
  { name: 'Project Falcon', owner: 'adele', members: { alex: 'admin', megan: 'member', partner: 'member' } },
  { name: 'Marketing', owner: 'megan', members: { lee: 'member', adele: 'member' } },
];

// A real 1×1 PNG and deterministic binary noise, so downloads can be compared byte for byte.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const noise = (bytes: number) =>
  Buffer.concat(
    Array.from({ length: Math.ceil(bytes / 32) }, (_, i) => createHash('sha256').update(`entrada-seed-${i}`).digest()),
  ).subarray(0, bytes);

const FILES: { owner: PersonKey; name: string; type: string; body: Buffer; hub?: string; sharedWith?: PersonKey[] }[] = [
  {
    owner: 'adele',
    name: 'Falcon plan.md',
    type: 'text/markdown',
    hub: 'Project Falcon',
    body: Buffer.from('# Project Falcon\n\n1. Connect Entra ID\n2. Migrate accounts\n3. Go live\n'),
  },
  {
    owner: 'adele',
    name: 'Budget 2025.csv',
    type: 'text/csv',
    sharedWith: ['alex', 'lee'],
    body: Buffer.from('quarter,amount\nQ1,12000\nQ2,15500\nQ3,9800\nQ4,17250\n'),
  },
  { owner: 'adele', name: 'Logo.png', type: 'image/png', body: PNG },
  {
    owner: 'alex',
    name: 'Meeting notes.txt',
    type: 'text/plain',
    hub: 'Project Falcon',
    body: Buffer.from('Kick-off: scope agreed, pilot group is Marketing.\n'),
  },
  { owner: 'alex', name: 'Telemetry sample.bin', type: 'application/octet-stream', body: noise(4096) },
  {
    owner: 'megan',
    name: 'Campaign brief.md',
    type: 'text/markdown',
    hub: 'Marketing',
    sharedWith: ['partner'],
    body: Buffer.from('# Spring campaign\n\nAudience: IT leads. Channel: webinars.\n'),
  },
  {
    owner: 'lee',
    name: 'Expenses.csv',
    type: 'text/csv',
    sharedWith: ['megan'],
    body: Buffer.from('date,item,amount\n2025-03-02,Taxi,23.40\n2025-03-03,Hotel,180.00\n'),
  },
  {
    owner: 'partner',
    name: 'Partner proposal.txt',
    type: 'text/plain',
    sharedWith: ['adele'],
    body: Buffer.from('Proposal: joint pilot of secure file exchange.\n'),
  },
];

const MESSAGES: { hub: string; author: PersonKey; body: string }[] = [
  { hub: 'Project Falcon', author: 'adele', body: 'Welcome to Falcon! The plan is in the hub files.' },
  { hub: 'Project Falcon', author: 'alex', body: 'Notes from the kick-off are up too.' },
  { hub: 'Project Falcon', author: 'partner', body: 'Thanks for having us, looking forward to the pilot.' },
  { hub: 'Marketing', author: 'megan', body: 'Campaign brief is ready for review.' },
  { hub: 'Marketing', author: 'lee', body: 'Looks good, expenses for the venue are shared with you.' },
];

const MEETINGS: { title: string; organizer: PersonKey; participants: PersonKey[]; hub?: string; inDays: number; minutes: number }[] = [
  { title: 'Falcon weekly', organizer: 'adele', participants: ['alex', 'megan', 'partner'], hub: 'Project Falcon', inDays: 1, minutes: 30 },
  { title: 'Campaign review', organizer: 'megan', participants: ['lee', 'adele'], hub: 'Marketing', inDays: 2, minutes: 45 },
  { title: 'Budget check-in', organizer: 'adele', participants: ['lee'], inDays: 3, minutes: 15 },
];

export interface SeededUser {
  id: string;
  email: string;
  displayName: string;
  external: boolean;
}

export interface SeededOrg {
  domain: string;
  partnerDomain: string;
  /** The password of users created by this run (existing users keep theirs). */
  password: string;
  users: Record<PersonKey, SeededUser>;
  hubs: Record<string, string>;
  files: { id: string; name: string; owner: PersonKey; size: number; sha256: string }[];
  created: { users: number; hubs: number; files: number; contacts: number; messages: number; meetings: number };
}

export async function seedDemo(opts: { domain?: string; password?: string } = {}): Promise<SeededOrg> {
  const domain = (opts.domain ?? 'contoso.example').toLowerCase();
  const partnerDomain = `${domain.split('.')[0]}-partner.example`;
  const password = opts.password ?? DEMO_PASSWORD;
  const created = { users: 0, hubs: 0, files: 0, contacts: 0, messages: 0, meetings: 0 };
  const passwordHash = await hashPassword(password);

  const users = {} as Record<PersonKey, SeededUser>;
  for (const p of PEOPLE) {
    const email = `${p.local}@${p.external ? partnerDomain : domain}`;
    const res = await UserModel.findOneAndUpdate(
      { email },
      { $setOnInsert: { email, kind: 'standard', status: 'active', displayName: p.name, passwordHash, emailConfirmedAt: new Date() } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    if (!res.lastErrorObject?.updatedExisting) created.users++;
    users[p.key] = { id: String(res.value!._id), email, displayName: p.name, external: Boolean(p.external) };
  }
  const uid = (k: PersonKey) => new Types.ObjectId(users[k].id);

  const hubs: Record<string, string> = {};
  for (const h of HUBS) {
    let hub = await HubModel.findOne({ name: h.name, createdBy: uid(h.owner) });
    if (!hub) [hub, created.hubs] = [await HubModel.create({ name: h.name, createdBy: uid(h.owner) }), created.hubs + 1];
    hubs[h.name] = String(hub._id);
    for (const [key, role] of [[h.owner, 'owner'], ...Object.entries(h.members)] as [PersonKey, HubRole][]) {
      await HubMembershipModel.updateOne({ hubId: hub._id, userId: uid(key) }, { $setOnInsert: { role } }, { upsert: true });
    }
  }

  const files: SeededOrg['files'] = [];
  for (const f of FILES) {
    let file = await FileModel.findOne({ ownerId: uid(f.owner), name: f.name });
    if (!file) {
      const blob = await writeBlob(Readable.from([f.body]), { filename: f.name, contentType: f.type, maxBytes: f.body.length });
      const hubId = f.hub ? new Types.ObjectId(hubs[f.hub]) : undefined;
      file = await FileModel.create({
        ownerId: uid(f.owner),
        hubId,
        name: f.name,
        size: blob.size,
        contentType: f.type,
        ...storedFields(blob),
        sharedWith: (f.sharedWith ?? []).map(uid),
      }).catch(async (err) => {
        await deleteBlob(blob.id); // no orphan bytes if the metadata cannot be written
        throw err;
      });
      created.files++;
    }
    files.push({
      id: String(file._id),
      name: f.name,
      owner: f.owner,
      size: file.size,
      sha256: createHash('sha256').update(f.body).digest('hex'),
    });
  }

  // Everyone knows everyone in the organisation; Adele also has the partner.
  for (const owner of PEOPLE.filter((p) => !p.external)) {
    for (const other of PEOPLE.filter((p) => p.key !== owner.key && (!p.external || owner.key === 'adele'))) {
      const r = await ContactModel.updateOne(
        { ownerId: uid(owner.key), email: users[other.key].email },
        { $setOnInsert: { contactUserId: uid(other.key), name: other.name } },
        { upsert: true },
      );
      created.contacts += r.upsertedCount;
    }
  }

  for (const m of MESSAGES) {
    const r = await MessageModel.updateOne(
      { hubId: new Types.ObjectId(hubs[m.hub]), authorId: uid(m.author), body: m.body },
      { $setOnInsert: {} },
      { upsert: true },
    );
    created.messages += r.upsertedCount;
  }

  const today = new Date();
  today.setUTCHours(9, 0, 0, 0);
  for (const m of MEETINGS) {
    const r = await MeetingModel.updateOne(
      { title: m.title, organizerId: uid(m.organizer) },
      {
        $setOnInsert: {
          startsAt: new Date(today.getTime() + m.inDays * 24 * 3600 * 1000),
          durationMinutes: m.minutes,
          hubId: m.hub ? new Types.ObjectId(hubs[m.hub]) : undefined,
          participantIds: m.participants.map(uid),
        },
      },
      { upsert: true },
    );
    created.meetings += r.upsertedCount;
  }

  return { domain, partnerDomain, password, users, hubs, files, created };
}
