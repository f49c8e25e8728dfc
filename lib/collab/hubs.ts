import { findEach } from '../find-each';
import { audit } from '../audit';
import { FileModel, HubMembershipModel, HubModel, MessageModel, type HubRole } from '../models';
import { auditedBy, hubFor, type Actor } from './access';

/** Hubs: shared spaces with members (see hub-members.ts), files and a message thread. */

export interface HubSummary {
  id: string;
  name: string;
  role: HubRole;
  createdAt: Date;
}

/** The creator becomes its (only) owner. */
export async function createHub(actor: Actor, name: string): Promise<HubSummary> {
  const hub = await HubModel.create({ name, createdBy: actor.id });
  try {
    await HubMembershipModel.create({ hubId: hub._id, userId: actor.id, role: 'owner' });
  } catch (err) {
    // No transactions: undo the hub so nothing half-made stays behind.
    await HubModel.deleteOne({ _id: hub._id });
    throw err;
  }
  await audit({
    ...auditedBy(actor),
    action: 'hub.create',
    outcome: 'success',
    target: { type: 'hub', id: String(hub._id) },
    details: { name: hub.name },
  });
  return { id: String(hub._id), name: hub.name, role: 'owner', createdAt: hub.createdAt };
}

export async function listHubs(actor: Actor): Promise<HubSummary[]> {
  const memberships = await HubMembershipModel.find({ userId: actor.id }, { hubId: 1, role: 1 }).lean();
  const hubs = (
    await findEach(
      HubModel,
      '_id',
      memberships.map((m) => m.hubId),
    )
  ).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return hubs.map((h) => ({
    id: String(h._id),
    name: h.name,
    role: memberships.find((m) => String(m.hubId) === String(h._id))!.role,
    createdAt: h.createdAt,
  }));
}

export async function getHub(actor: Actor, hubId: string): Promise<HubSummary> {
  const { hub, role } = await hubFor(actor, hubId, 'read');
  return { id: String(hub._id), name: hub.name, role, createdAt: hub.createdAt };
}

export async function renameHub(actor: Actor, hubId: string, name: string): Promise<HubSummary> {
  const { hub, role } = await hubFor(actor, hubId, 'manage-hub');
  const from = hub.name;
  hub.name = name;
  await hub.save();
  await audit({
    ...auditedBy(actor),
    action: 'hub.rename',
    outcome: 'success',
    target: { type: 'hub', id: String(hub._id) },
    details: { from, to: hub.name },
  });
  return { id: String(hub._id), name: hub.name, role, createdAt: hub.createdAt };
}

/**
 * The hub document goes first, so every access check fails from that moment; then its
 * memberships and messages. Files uploaded to the hub stay with the people who uploaded them
 * (back in their own files), since a hub never owns anyone's data.
 */
export async function deleteHub(actor: Actor, hubId: string): Promise<void> {
  const { hub } = await hubFor(actor, hubId, 'manage-hub');
  await HubModel.deleteOne({ _id: hub._id });
  const [members, messages, files] = await Promise.all([
    HubMembershipModel.deleteMany({ hubId: hub._id }),
    MessageModel.deleteMany({ hubId: hub._id }),
    FileModel.updateMany({ hubId: hub._id }, { $unset: { hubId: 1 } }),
  ]);
  await audit({
    ...auditedBy(actor),
    action: 'hub.delete',
    outcome: 'success',
    target: { type: 'hub', id: String(hub._id) },
    details: { name: hub.name, members: members.deletedCount, messages: messages.deletedCount, filesReturnedToOwners: files.modifiedCount },
  });
}
