import { Types } from 'mongoose';
import { audit } from '../audit';
import { forbidden, notFound } from '../errors';
import { ContactModel, FileModel, HubMembershipModel, HubModel, MeetingModel, type HubRole } from '../models';

/**
 * Who may see and change what: every authorization rule of the collaboration core, in one
 * place. The IdP has no say here: SSO and standard users are treated alike.
 *
 * The denial rule:
 * - 404 when the actor may not know the thing exists (not its owner, not shared with them,
 *   not a member of its hub, a contact or meeting of someone else, a malformed ID). The
 *   answer is the same as for an ID that was never used, so nothing leaks.
 * - 403 when the actor can see the thing but may not make this change (a hub member
 *   deleting someone else's file, an admin promoting to admin, a participant deleting the
 *   meeting). These refusals are audited with outcome "denied".
 *
 * Rules:
 * - File: read = owner, a user it is shared with, or any member of its hub;
 *   manage (rename, delete) = owner, or owner/admin of its hub; share/unshare = owner only.
 * - Hub: read files and messages, post messages, upload = any member;
 *   manage members = owner/admin, where admins only add/remove/keep plain members and only
 *   owners grant, change or remove the admin and owner roles; rename/delete hub = owner.
 *   A hub keeps at least one owner (see hubs.ts).
 * - Contact: its owner only (others get 404).
 * - Meeting: read = organizer and participants; change/delete = organizer.
 */

/** The signed-in user acting, plus where the request came from (for the audit trail). */
export interface Actor {
  id: string;
  email: string;
  /** The actor's Entra tenancy (SSO and migrated users): their events go to its audit chain and stream. */
  tenantId?: string | null;
  ip?: string;
  userAgent?: string;
}

export type FileRight = 'read' | 'manage' | 'share';
export type HubRight = 'read' | 'post' | 'upload' | 'manage-members' | 'manage-hub';

const HUB_RIGHTS: Record<HubRight, readonly HubRole[]> = {
  read: ['owner', 'admin', 'member'],
  post: ['owner', 'admin', 'member'],
  upload: ['owner', 'admin', 'member'],
  'manage-members': ['owner', 'admin'],
  'manage-hub': ['owner'],
};

/** A malformed ID names nothing: 404, like an ID that does not exist. */
export function objectId(id: string, what = 'Not found.'): Types.ObjectId {
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) throw notFound(what);
  return new Types.ObjectId(id);
}

export async function fileFor(actor: Actor, fileId: string, right: FileRight) {
  // With an inline file's bytes (at most INLINE_MAX_BYTES): a download needs no second read.
  const file = await FileModel.findById(objectId(fileId, FILE_NOT_FOUND)).select('+data');
  if (!file) throw notFound(FILE_NOT_FOUND);
  const hubRole = file.hubId ? await roleIn(actor, file.hubId) : undefined;
  const rights = fileRights(actor, file, hubRole);
  if (!rights.read) throw notFound(FILE_NOT_FOUND);
  if (!rights[right]) await deny(actor, `file.${right}`, { type: 'file', id: String(file._id) }, RIGHT_MESSAGES[right]);
  return { file, hubRole, rights };
}

export function fileRights(
  actor: Actor,
  file: { ownerId: unknown; sharedWith: unknown[]; hubId?: unknown },
  hubRole: HubRole | undefined,
): Record<FileRight, boolean> {
  const isOwner = String(file.ownerId) === actor.id;
  return {
    read: isOwner || file.sharedWith.some((u) => String(u) === actor.id) || hubRole !== undefined,
    manage: isOwner || hubRole === 'owner' || hubRole === 'admin',
    share: isOwner,
  };
}

export async function hubFor(actor: Actor, hubId: string, right: HubRight) {
  const id = objectId(hubId, HUB_NOT_FOUND);
  const [hub, role] = await Promise.all([HubModel.findById(id), roleIn(actor, id)]);
  if (!hub || !role) throw notFound(HUB_NOT_FOUND);
  if (!HUB_RIGHTS[right].includes(role)) {
    await deny(
      actor,
      `hub.${right}`,
      { type: 'hub', id: String(hub._id) },
      right === 'manage-hub' ? 'Only the hub owner can do that.' : 'Only hub owners and admins can manage members.',
    );
  }
  return { hub, role };
}

/**
 * Whether a hub member with `actorRole` may give `target` (currently `from`, or new when
 * undefined) the role `to` (undefined = remove). Owners may do anything (the last-owner guard
 * is separate); admins only deal in plain members.
 */
export function mayAssignRole(actorRole: HubRole, from: HubRole | undefined, to: HubRole | undefined): boolean {
  if (actorRole === 'owner') return true;
  if (actorRole !== 'admin') return false;
  return (from === undefined || from === 'member') && (to === undefined || to === 'member');
}

export async function contactFor(actor: Actor, contactId: string) {
  const contact = await ContactModel.findOne({ _id: objectId(contactId, CONTACT_NOT_FOUND), ownerId: actor.id });
  if (!contact) throw notFound(CONTACT_NOT_FOUND);
  return contact;
}

export async function meetingFor(actor: Actor, meetingId: string, right: 'read' | 'manage') {
  const meeting = await MeetingModel.findById(objectId(meetingId, MEETING_NOT_FOUND));
  const isOrganizer = meeting && String(meeting.organizerId) === actor.id;
  if (!meeting || !(isOrganizer || meeting.participantIds.some((p) => String(p) === actor.id))) throw notFound(MEETING_NOT_FOUND);
  if (right === 'manage' && !isOrganizer) {
    await deny(actor, 'meeting.manage', { type: 'meeting', id: String(meeting._id) }, 'Only the organizer can change this meeting.');
  }
  return meeting;
}

/** The actor's role in a hub, or undefined when they are not a member. */
export async function roleIn(actor: Actor, hubId: Types.ObjectId): Promise<HubRole | undefined> {
  const membership = await HubMembershipModel.findOne({ hubId, userId: actor.id }, { role: 1 }).lean();
  return membership?.role;
}

/** The actor's role in each of these hubs they belong to. */
export async function rolesIn(actor: Actor, hubIds: Types.ObjectId[]): Promise<Map<string, HubRole>> {
  if (!hubIds.length) return new Map();
  const rows = await HubMembershipModel.find({ hubId: { $in: hubIds }, userId: actor.id }, { hubId: 1, role: 1 }).lean();
  return new Map(rows.map((r) => [String(r.hubId), r.role]));
}

/** A 403, audited: the actor saw the thing and tried a change they may not make. */
export async function deny(actor: Actor, action: string, target: { type: string; id: string }, message: string): Promise<never> {
  await audit({ ...auditedBy(actor), action, outcome: 'denied', target, details: { reason: message } });
  throw forbidden(message);
}

/** The actor fields of an audit event. */
export function auditedBy(actor: Actor) {
  return {
    actor: { kind: 'user' as const, userId: actor.id, email: actor.email },
    tenantId: actor.tenantId ?? undefined,
    ip: actor.ip,
    userAgent: actor.userAgent,
  };
}

const FILE_NOT_FOUND = 'File not found.';
const HUB_NOT_FOUND = 'Hub not found.';
const CONTACT_NOT_FOUND = 'Contact not found.';
const MEETING_NOT_FOUND = 'Meeting not found.';
const RIGHT_MESSAGES: Record<FileRight, string> = {
  read: FILE_NOT_FOUND,
  manage: 'Only the file owner or an owner/admin of its hub can change this file.',
  share: 'Only the file owner can change who it is shared with.',
};
