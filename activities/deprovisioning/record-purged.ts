import { ScimUserModel } from '../../lib/models';
import { releasedKey } from '../../lib/scim/user-records';
import { auditStep, type DeprovisioningStep } from './step';

/**
 * After `deleteUser`: the SCIM record gives up its keys (the same Entra object or userName can
 * be provisioned afresh, as a new, empty account) and the saga's outcome is audited.
 */
export async function recordPurged(step: DeprovisioningStep & { deletionAuditEventIds: string[]; files: number }): Promise<{ auditEventId: string }> {
  await ScimUserModel.updateOne({ _id: step.scimId, purgedAt: null }, { $set: { purgedAt: new Date(), identityKey: releasedKey(step.scimId), userNameKey: releasedKey(step.scimId) } });
  const auditEventId = await auditStep(step, 'purged', { files: step.files, deletionAuditEventIds: step.deletionAuditEventIds, quarantineMs: step.quarantineMs });
  return { auditEventId };
}
