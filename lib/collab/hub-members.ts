import type { Types } from 'mongoose';
import { audit } from '../audit';
import { conflict, notFound } from '../errors';
import { withLock } from '../claims';
import { HubMembershipModel, type HubRole } from '../models';
import { auditedBy, deny, hubFor, mayAssignRole, objectId, type Actor } from './access';
import { isDuplicateKey, peopleByIds, personByEmail, type Person } from './people';

/**
 * Hub membership and roles. Who may grant what is `mayAssignRole` (access.ts). A hub always
 * keeps an owner: demoting or removing an owner runs under a per-hub lock and only while
 * another owner remains. A lock, because that check reads other documents and FerretDB v1's
 * conditional updates are not atomic (see lib/claims.ts): two owners demoting each other at
 * the same moment could otherwise both succeed. Promotions need no lock: they only add owners.
 */

export interface Member extends Person {
  role: HubRole;
}

const ROLE_ORDER: HubRole[] = ['owner', 'admin', 'member'];
const NOT_A_MEMBER = 'That user is not a member of this hub.';
const LAST_OWNER = 'A hub needs at least one owner: make another member owner first.';
const CHANGED = 'That membership changed meanwhile. Reload and try again.';

export async function listMembers(actor: Actor, hubId: string): Promise<Member[]> {
  const { hub } = await hubFor(actor, hubId, 'read');
  const memberships = await HubMembershipModel.find({ hubId: hub._id }).lean();
  const people = await peopleByIds(memberships.map((m) => m.userId));
  return memberships
    .flatMap((m) => {
      const person = people.get(String(m.userId));
      return person ? [{ ...person, role: m.role }] : [];
    })
    .sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.email.localeCompare(b.email));
}

export async function addMember(actor: Actor, hubId: string, email: string, role: HubRole = 'member'): Promise<Member> {
  const { hub, role: actorRole } = await hubFor(actor, hubId, 'manage-members');
  const target = { type: 'hub', id: String(hub._id) };
  if (!mayAssignRole(actorRole, undefined, role)) await deny(actor, 'hub.member.add', target, 'Only hub owners can add admins or owners.');
  const person = await personByEmail(email);
  try {
    await HubMembershipModel.create({ hubId: hub._id, userId: person.id, role });
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict(`${person.email} is already a member of this hub.`);
    throw err;
  }
  await audit({
    ...auditedBy(actor),
    action: 'hub.member.add',
    outcome: 'success',
    target,
    details: { userId: person.id, email: person.email, role },
  });
  return { ...person, role };
}

export async function changeRole(actor: Actor, hubId: string, userId: string, role: HubRole): Promise<Member> {
  const { hub, role: actorRole } = await hubFor(actor, hubId, 'manage-members');
  const target = { type: 'hub', id: String(hub._id) };
  const membership = await membershipOf(hub._id, userId);
  const from = membership.role;
  const person = (await peopleByIds([membership.userId])).get(String(membership.userId));
  if (from === role) return { ...person!, role };
  if (!mayAssignRole(actorRole, from, role))
    await deny(actor, 'hub.member.role', target, 'Only hub owners can grant or take away the admin and owner roles.');

  await unlessLastOwner(hub._id, from, async () => {
    const updated = await HubMembershipModel.updateOne({ _id: membership._id, role: from }, { $set: { role } });
    if (updated.matchedCount === 0) throw conflict(CHANGED);
  });

  await audit({
    ...auditedBy(actor),
    action: 'hub.member.role',
    outcome: 'success',
    target,
    details: { userId: String(membership.userId), email: person?.email, from, to: role },
  });
  return { ...person!, role };
}

/** Removing someone (owner/admin) or leaving (anyone, except the last owner). */
export async function removeMember(actor: Actor, hubId: string, userId: string): Promise<void> {
  const leaving = userId === actor.id;
  const { hub, role: actorRole } = await hubFor(actor, hubId, leaving ? 'read' : 'manage-members');
  const target = { type: 'hub', id: String(hub._id) };
  const membership = await membershipOf(hub._id, userId);
  if (!leaving && !mayAssignRole(actorRole, membership.role, undefined)) {
    await deny(actor, 'hub.member.remove', target, 'Only hub owners can remove admins or owners.');
  }
  await unlessLastOwner(hub._id, membership.role, async () => {
    const removed = await HubMembershipModel.deleteOne({ _id: membership._id, role: membership.role });
    if (removed.deletedCount === 0) throw conflict(CHANGED);
  });
  const person = (await peopleByIds([membership.userId])).get(String(membership.userId));
  await audit({
    ...auditedBy(actor),
    action: 'hub.member.remove',
    outcome: 'success',
    target,
    details: { userId: String(membership.userId), email: person?.email, role: membership.role, left: leaving },
  });
}

async function membershipOf(hubId: Types.ObjectId, userId: string) {
  const membership = await HubMembershipModel.findOne({ hubId, userId: objectId(userId, NOT_A_MEMBER) }).lean();
  if (!membership) throw notFound(NOT_A_MEMBER);
  return membership;
}

async function unlessLastOwner(hubId: Types.ObjectId, role: HubRole, change: () => Promise<void>): Promise<void> {
  if (role !== 'owner') return change();
  await withLock(`hub-owners:${hubId}`, async () => {
    if ((await HubMembershipModel.countDocuments({ hubId, role: 'owner' })) < 2) throw conflict(LAST_OWNER);
    await change();
  });
}
