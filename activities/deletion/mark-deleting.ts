import { conflict, notFound } from '../../lib/errors';
import { UserModel, type UserKind } from '../../lib/models';
import { auditedStep, type DeletionStep } from './audited-step';

/** What later steps need to know about the account after its personal data is gone. */
export interface DeletedAccount {
  email: string;
  kind: UserKind;
  tenantId: string | null;
  isStaff: boolean;
}

/**
 * Step 1. From this write on, every sign-in for the account is refused: password and SSO
 * sign-in only accept `active` users, and the session layer treats any other status as
 * signed out. A user in the middle of a migration, or suspended, is deleted all the same.
 */
export async function markUserDeleting(step: DeletionStep) {
  return auditedStep(step, 'mark-deleting', async (): Promise<DeletedAccount> => {
    const user = await UserModel.findById(step.userId).lean();
    if (!user) throw notFound(`No user ${step.userId}.`);
    if (user.status === 'deleted') {
      throw conflict(`User ${step.userId} is already deleted.`);
    }
    await UserModel.updateOne(
      { _id: user._id, status: { $in: ['active', 'migrating', 'suspended'] } },
      {
        $set: {
          status: 'deleting',
          deletion: {
            workflowId: step.workflowId,
            requestedAt: new Date(),
            requestedBy: requesterLabel(step),
            reason: step.requestedBy.reason,
          },
        },
      },
    );
    return { email: user.email, kind: user.kind, tenantId: user.tenantId ?? null, isStaff: user.isStaff };
  });
}

/** Who asked, without copying their personal data onto the deleted user's record. */
function requesterLabel({ requestedBy }: DeletionStep): string {
  return requestedBy.userId ? `${requestedBy.kind}:${requestedBy.userId}` : requestedBy.kind;
}
