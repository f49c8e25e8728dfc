import { ScimUserModel } from '../../lib/models';
import { suspendAccount } from '../../lib/scim/suspension';
import { auditStep, type DeprovisioningStep } from './step';

/**
 * First step: the account is suspended (sessions end, sign-in refused, data kept) and the
 * SCIM record marked deleted, in case the request that started the saga died before it did.
 * Both are conditional on the current state, so a retry changes nothing.
 */
export async function suspendForDeprovisioning(step: DeprovisioningStep & { purgeAt: string }): Promise<{ auditEventId: string }> {
  await ScimUserModel.updateOne({ _id: step.scimId, deletedAt: null, purgedAt: null }, { $set: { deletedAt: new Date(step.requestedAt) } });
  const { changed } = await suspendAccount(step.userId, {
    tenantId: step.tenantId,
    actor: { kind: 'system' },
    reason: 'scim-deleted',
    details: { workflowId: step.workflowId },
  });
  return { auditEventId: await auditStep(step, 'suspended', { changed, purgeNotBefore: step.purgeAt }) };
}
