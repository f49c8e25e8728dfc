import { conflict } from '../../lib/errors';
import { ContactModel, FileModel, HubMembershipModel, MeetingModel, MessageModel, UserModel } from '../../lib/models';
import { bindIdentity } from '../../lib/sso/identity-binding';
import { meetingsOf } from '../../lib/collab/meetings';
import type { ObjectCounts } from '../../lib/contracts/migration';
import { stepAudit, type MigrationStep } from './account';

/** Everything attached to the user's ID. Migration keeps the ID, so these must not change. */
export async function countUserObjects(userId: string): Promise<ObjectCounts> {
  const [filesOwned, filesSharedWith, hubMemberships, contacts, messages, organized, attended] = await Promise.all([
    FileModel.countDocuments({ ownerId: userId }),
    FileModel.countDocuments({ sharedWith: userId }),
    HubMembershipModel.countDocuments({ userId }),
    ContactModel.countDocuments({ ownerId: userId }),
    MessageModel.countDocuments({ authorId: userId }),
    ...meetingsOf(userId).map((filter) => MeetingModel.countDocuments(filter)),
  ]);
  return { filesOwned, filesSharedWith, hubMemberships, contacts, messages, meetings: organized + attended };
}

export function createMigrationObjectActivities() {
  return {
    /** Counts (the workflow keeps them in its history; verifyMigrationCounts records them on the user). */
    async countMigrationObjects(input: { userId: string; phase: 'before' }): Promise<ObjectCounts> {
      return countUserObjects(input.userId);
    },

    /** Binds the Entra identity to this same user ID: the data never moves. The user's last sign-in is written as it completes. */
    async linkMigratedIdentity(s: MigrationStep) {
      await bindIdentity(s.tenantId, s, s.userId, { onUser: 'written' });
      return { auditEventId: await stepAudit(s, 'identity-linked', { nameId: s.nameId }) };
    },

    /** Counts again, records both, and refuses to finish if anything came loose. */
    async verifyMigrationCounts(s: MigrationStep & { countsBefore: ObjectCounts }) {
      const countsAfter = await countUserObjects(s.userId);
      await UserModel.updateOne(
        { _id: s.userId },
        { $set: { 'migration.countsBefore': s.countsBefore, 'migration.countsAfter': countsAfter } },
      );
      const differing = (Object.keys(countsAfter) as (keyof ObjectCounts)[]).filter((k) => countsAfter[k] !== s.countsBefore[k]);
      if (differing.length > 0) {
        await stepAudit(s, 'verification-failed', { countsBefore: s.countsBefore, countsAfter });
        throw conflict(
          `Object counts changed during migration of ${s.userId}: ${differing.map((k) => `${k} ${s.countsBefore[k]} → ${countsAfter[k]}`).join(', ')}`,
        );
      }
      return { auditEventId: await stepAudit(s, 'verified', { counts: countsAfter }), countsAfter };
    },
  };
}
