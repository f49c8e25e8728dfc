import { SsoIdentityModel, UserModel } from '../../lib/models';
import { auditedStep, type DeletionStep } from './audited-step';

export const tombstoneEmail = (userId: string) => `deleted-${userId}@tombstone.invalid`;

/**
 * Step 5. The user document stays as a tombstone (its ID is what audit events and old
 * references name) with its personal data removed and its email released, so the next
 * sign-in for that email creates a new user with a new ID. SSO identities keep tenant ID +
 * object ID with status `deleted`: the unique (tenantId, objectId) index means that Entra
 * account can never be linked to anything again, while their email/NameID are anonymised.
 */
export async function tombstoneUser(step: DeletionStep) {
  return auditedStep(step, 'tombstone', async () => {
    const completedAt = new Date();
    const anonymous = tombstoneEmail(step.userId);
    await UserModel.updateOne(
      { _id: step.userId, status: 'deleting' },
      {
        $set: { email: anonymous, status: 'deleted', isStaff: false, tenantAdminOf: [], 'deletion.completedAt': completedAt },
        $unset: { displayName: 1, givenName: 1, surname: 1, passwordHash: 1, emailConfirmedAt: 1 },
        $inc: { sessionVersion: 1, resetVersion: 1 },
      },
    );
    await SsoIdentityModel.updateMany(
      { userId: step.userId, status: 'active' },
      { $set: { status: 'deleted', deletedAt: completedAt, email: anonymous, nameId: anonymous } },
    );
    // Read back rather than trust this attempt's writes: a retry finds them already done.
    const [user, identities] = await Promise.all([
      UserModel.findById(step.userId, { deletion: 1 }).lean(),
      SsoIdentityModel.countDocuments({ userId: step.userId, status: 'deleted' }),
    ]);
    return { identities, completedAt: (user?.deletion?.completedAt ?? completedAt).toISOString() };
  });
}
