import { Types } from 'mongoose';
import { ContactModel, FileModel, InviteModel, MeetingModel, MessageModel } from '../../lib/models';
import { auditedStep, type DeletionStep } from './audited-step';

/**
 * Step 4c. Everything else that points at the user, so nothing of the old account can
 * resolve to a later one with the same email:
 * - shares to it are pulled from other people's files (the files stay theirs);
 * - its own contacts, and other people's contacts that link to it, are deleted;
 * - messages it wrote are deleted (erasure wins over thread continuity: a message with no
 *   author cannot be answered or attributed, and its text is the user's personal data);
 * - meetings it organised are deleted, others lose it as a participant;
 * - pending invites it sent, or that were sent to its email, are revoked.
 */
export async function removeUserLinks(step: DeletionStep & { email: string }) {
  return auditedStep(step, 'remove-links', async () => {
    const userId = new Types.ObjectId(step.userId);
    const shares = await FileModel.updateMany({ sharedWith: userId }, { $pull: { sharedWith: userId } });
    const contacts = await ContactModel.deleteMany({ $or: [{ ownerId: userId }, { contactUserId: userId }] });
    const messages = await MessageModel.deleteMany({ authorId: userId });
    const organised = await MeetingModel.deleteMany({ organizerId: userId });
    const attended = await MeetingModel.updateMany({ participantIds: userId }, { $pull: { participantIds: userId } });
    const invites = await InviteModel.updateMany(
      { status: 'pending', $or: [{ inviterId: userId }, { email: step.email }] },
      { $set: { status: 'revoked' } },
    );
    return {
      counts: {
        sharesRemoved: shares.modifiedCount,
        contactsRemoved: contacts.deletedCount,
        messagesRemoved: messages.deletedCount,
        meetingsDeleted: organised.deletedCount,
        meetingsLeft: attended.modifiedCount,
        invitesRevoked: invites.modifiedCount,
      },
    };
  });
}
