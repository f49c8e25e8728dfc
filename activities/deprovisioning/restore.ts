import type { DeprovisioningActor } from '../../lib/contracts/deprovisioning';
import { ScimUserModel } from '../../lib/models';
import { restoreAccount } from '../../lib/scim/suspension';
import { auditStep, type DeprovisioningStep } from './step';

/**
 * The saga's other ending: the SCIM record is live again (visible to the directory's next
 * cycle) and the account active, unless the directory has it disabled (active = false), in
 * which case it stays suspended as an ordinary disabled user.
 */
export async function restoreDeprovisioned(
  step: DeprovisioningStep & { by: DeprovisioningActor; reason: string },
): Promise<{ auditEventId: string }> {
  await ScimUserModel.updateOne({ _id: step.scimId, purgedAt: null }, { $unset: { deletedAt: 1 }, $inc: { version: 1 } });
  const scim = await ScimUserModel.findById(step.scimId, { active: 1 }).lean();
  const actor =
    step.by.kind === 'staff' || step.by.kind === 'tenant-admin'
      ? { kind: step.by.kind === 'staff' ? ('staff' as const) : ('user' as const), email: step.by.email }
      : { kind: 'system' as const };
  const restored =
    scim?.active === false
      ? { changed: false }
      : await restoreAccount(step.userId, {
          tenantId: step.tenantId,
          actor,
          reason: 'deprovisioning-restored',
          details: { workflowId: step.workflowId },
        });
  return {
    auditEventId: await auditStep(
      step,
      'restored',
      { by: step.by, reason: step.reason, accountActive: restored.changed || scim?.active !== false },
      actor,
    ),
  };
}
