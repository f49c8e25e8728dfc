import { audit } from '../audit';
import { conflict, notFound } from '../errors';
import { InviteModel } from '../models';
import { auditedBy, objectId, type Actor } from '../collab/access';
import { inviteView, inviteViews, type InviteView } from './views';

/** The inviter's side: the invites they sent, and withdrawing one that is still open. */

const NOT_FOUND = 'Invite not found.';

export async function listInvites(actor: Actor): Promise<InviteView[]> {
  return inviteViews(await InviteModel.find({ inviterId: actor.id }).sort({ createdAt: -1 }).limit(500));
}

/** Only the inviter revokes (others get 404, like for an unknown ID); the link dies at once. */
export async function revokeInvite(actor: Actor, inviteId: string): Promise<InviteView> {
  const id = objectId(inviteId, NOT_FOUND);
  const revoked = await InviteModel.findOneAndUpdate(
    { _id: id, inviterId: actor.id, status: 'pending' },
    { $set: { status: 'revoked', dedupeKey: String(id) } },
    { returnDocument: 'after' },
  );
  if (!revoked) {
    const existing = await InviteModel.findOne({ _id: id, inviterId: actor.id }, { status: 1 }).lean();
    if (!existing) throw notFound(NOT_FOUND);
    throw conflict(
      existing.status === 'accepted'
        ? 'This invite was already accepted; remove the person from the hub or file instead.'
        : 'This invite was already revoked.',
    );
  }
  await audit({
    ...auditedBy(actor),
    action: 'invite.revoked',
    outcome: 'success',
    target: { type: 'invite', id: String(id) },
    details: { email: revoked.email },
  });
  return inviteView(revoked);
}
