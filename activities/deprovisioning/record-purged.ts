import { Context } from '@temporalio/activity';
import { ScimUserModel } from '../../lib/models';
import { notePurge } from '../../lib/scim/evidence';
import { releasedKey } from '../../lib/scim/user-records';
import { auditStep, type DeprovisioningStep } from './step';

/**
 * After `deleteUser`: the SCIM record gives up its keys (the same Entra object or userName can
 * be provisioned afresh, as a new, empty account), the saga's outcome is audited, and while the
 * tenancy is tested it counts towards the checklist's provisioning item.
 */
export async function recordPurged(
  step: DeprovisioningStep & { deletionAuditEventIds: string[]; files: number },
): Promise<{ auditEventId: string }> {
  await ScimUserModel.updateOne(
    { _id: step.scimId, purgedAt: null },
    { $set: { purgedAt: new Date(), identityKey: releasedKey(step.scimId), userNameKey: releasedKey(step.scimId) } },
  );
  const auditEventId = await auditStep(step, 'purged', {
    files: step.files,
    deletionAuditEventIds: step.deletionAuditEventIds,
    quarantineMs: step.quarantineMs,
  });
  await notePurge(Context.current().client, step.tenantId);
  return { auditEventId };
}
