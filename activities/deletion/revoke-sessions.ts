import { StaffTokenModel, UserModel } from '../../lib/models';
import { auditedStep, type DeletionStep } from './audited-step';

/**
 * Step 2. Every browser session carries the `sessionVersion` it began with: one `$inc` ends
 * all of them at once, on every web process. Staff API tokens of the user are revoked too.
 */
export async function revokeUserSessions(step: DeletionStep) {
  return auditedStep(step, 'revoke-sessions', async () => {
    await UserModel.updateOne({ _id: step.userId }, { $inc: { sessionVersion: 1 } });
    const tokens = await StaffTokenModel.updateMany({ userId: step.userId, revokedAt: null }, { $set: { revokedAt: new Date() } });
    return { staffTokens: tokens.modifiedCount };
  });
}
