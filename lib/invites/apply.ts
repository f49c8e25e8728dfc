import { FailureType } from '../contracts/failures';
import { Refusal } from '../contracts/refusal';
import { notFound } from '../errors';
import { UserModel } from '../models';
import type { Actor } from '../collab/access';
import { addContact } from '../collab/contacts';
import { addMember } from '../collab/hub-members';
import { shareFile } from '../collab/sharing';
import type { InviteDoc } from './views';

/**
 * Gives the invitee what the invite promised, through the collaboration services and as the
 * inviter, so the inviter's rights are checked again now: someone who lost the admin role or
 * the file since sending cannot hand out access through an old invite. Each step is
 * idempotent ("already a member" counts as done), so a retried acceptance completes.
 */
export async function applyInvite(invite: InviteDoc, invitee: Actor): Promise<void> {
  const inviter = await UserModel.findOne({ _id: invite.inviterId, status: 'active' }, { email: 1, displayName: 1, tenantId: 1 }).lean();
  if (!inviter) throw notFound('The person who invited you no longer has an Entrada account.');
  const actor: Actor = {
    id: String(inviter._id),
    email: inviter.email,
    tenantId: inviter.tenantId ?? undefined,
    ip: invitee.ip,
    userAgent: invitee.userAgent,
  };
  if (invite.hubId) await alreadyDone(addMember(actor, String(invite.hubId), invitee.email, invite.hubRole ?? 'member'));
  if (invite.fileId) await alreadyDone(shareFile(actor, String(invite.fileId), invitee.email));
  if (invite.asContact) {
    // Both ways: the inviter asked to connect, and the invitee accepted.
    await alreadyDone(addContact(actor, { email: invitee.email }));
    await alreadyDone(addContact(invitee, { email: inviter.email, name: inviter.displayName ?? undefined }));
  }
}

/** A 409 from a collaboration service means the thing is in place already. */
async function alreadyDone(step: Promise<unknown>): Promise<void> {
  await step.catch((err) => {
    if (!(err instanceof Refusal && err.type === FailureType.Conflict)) throw err;
  });
}
