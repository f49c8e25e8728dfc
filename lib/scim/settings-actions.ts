/** Staff set a tenancy's quarantine window and safety-valve threshold (audited). */
import { audit } from '../audit';
import { badRequest } from '../errors';
import { ProvisioningSettingsModel } from '../models';
import type { ActionActor } from './deprovisioning-actions';

const DAY = 86_400_000;

export async function updateProvisioningSettings(
  tenantId: string,
  body: { quarantineDays?: unknown; valvePercent?: unknown },
  actor: ActionActor,
): Promise<void> {
  const set: Record<string, number> = {};
  if (body.quarantineDays !== undefined && body.quarantineDays !== '') {
    const days = Number(body.quarantineDays);
    if (!Number.isFinite(days) || days < 0 || days > 365) throw badRequest('The quarantine is 0 to 365 days.');
    set.quarantineMs = Math.round(days * DAY);
  }
  if (body.valvePercent !== undefined && body.valvePercent !== '') {
    const percent = Number(body.valvePercent);
    if (!Number.isFinite(percent) || percent < 0 || percent > 100)
      throw badRequest('The safety valve threshold is a percentage, 0 to 100.');
    set.valvePercent = percent;
  }
  if (Object.keys(set).length === 0) throw badRequest('Nothing to change: give quarantineDays or valvePercent.');
  await ProvisioningSettingsModel.updateOne({ _id: tenantId }, { $set: set }, { upsert: true });
  await audit({
    action: 'scim.settings-changed',
    outcome: 'success',
    actor: { kind: actor.kind === 'staff' ? 'staff' : 'user', email: actor.email, userId: actor.userId },
    target: { type: 'tenant', id: tenantId },
    tenantId,
    details: set,
  });
}
