import { findEach } from '../find-each';
import { FileModel, HubModel, UserModel, type Invite } from '../models';
import type { HydratedDocument } from 'mongoose';

/** What people are shown about an invite: in the inviter's list, on the link's page, in emails. */

export type InviteDoc = HydratedDocument<Invite>;
export type InviteStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InviteView {
  id: string;
  email: string;
  /** The kind of link that was emailed (decided when sent). */
  kind: 'corporate' | 'standard';
  status: InviteStatus;
  expiresAt: Date;
  createdAt: Date;
  inviter: { id: string; email: string; name: string };
  hub: { id: string; name: string } | null;
  hubRole: 'admin' | 'member' | null;
  file: { id: string; name: string } | null;
  asContact: boolean;
  /** Plain words for what accepting gives: `join the hub "Launch" and see the file "plan.pdf"`. */
  what: string;
}

/** Expiry is not a stored state: a pending invite past `expiresAt` is expired. */
export const statusOf = (invite: Pick<Invite, 'status' | 'expiresAt'>, now = new Date()): InviteStatus =>
  invite.status === 'pending' && invite.expiresAt <= now ? 'expired' : invite.status;

export async function inviteViews(invites: InviteDoc[]): Promise<InviteView[]> {
  const ids = (key: 'inviterId' | 'hubId' | 'fileId') => [...new Set(invites.flatMap((i) => (i[key] ? [String(i[key])] : [])))];
  const [inviters, hubs, files] = await Promise.all([
    findEach(UserModel, '_id', ids('inviterId'), { projection: { email: 1, displayName: 1 } }),
    findEach(HubModel, '_id', ids('hubId'), { projection: { name: 1 } }),
    findEach(FileModel, '_id', ids('fileId'), { projection: { name: 1 } }),
  ]);
  const byId = <T extends { _id: unknown }>(rows: T[], id: unknown) => rows.find((r) => String(r._id) === String(id));
  return invites.map((i) => {
    const inviter = byId(inviters, i.inviterId);
    const hub = i.hubId ? byId(hubs, i.hubId) : undefined;
    const file = i.fileId ? byId(files, i.fileId) : undefined;
    const view: InviteView = {
      id: i.id as string,
      email: i.email,
      kind: i.kind,
      status: statusOf(i),
      expiresAt: i.expiresAt,
      createdAt: (i as unknown as { createdAt: Date }).createdAt,
      inviter: {
        id: String(i.inviterId),
        email: inviter?.email ?? 'a former user',
        name: inviter?.displayName || inviter?.email || 'A former user',
      },
      hub: hub ? { id: String(hub._id), name: hub.name } : null,
      hubRole: i.hubRole ?? null,
      file: file ? { id: String(file._id), name: file.name } : null,
      asContact: Boolean(i.asContact),
      what: '',
    };
    view.what = describe(view);
    return view;
  });
}

export async function inviteView(invite: InviteDoc): Promise<InviteView> {
  return (await inviteViews([invite]))[0];
}

function describe(v: InviteView): string {
  const parts: string[] = [];
  if (v.hub) parts.push(`join the hub "${v.hub.name}"${v.hubRole === 'admin' ? ' as an admin' : ''}`);
  if (v.file) parts.push(`see the file "${v.file.name}"`);
  if (v.asContact) parts.push(`connect with ${v.inviter.name} as contacts`);
  if (!parts.length) return 'work together on Entrada';
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
