import type { PurgeVerdict } from '../../lib/contracts/deprovisioning';
import { ScimUserModel, SsoIdentityModel, UserModel } from '../../lib/models';
import type { ActivityDeps } from '../deps';
import { provisioningSettings } from '../../lib/scim/settings';
import { auditStep, type DeprovisioningStep } from './step';

/**
 * The re-check at the end of the quarantine, in the order that keeps the wrong person safe:
 * the account must still exist and be suspended, still be bound to the same Entra object, and
 * the directory must still have it deleted; then no legal hold may apply (tenancy or user),
 * and the tenancy's purges must not be paused (safety valve). Anything but a clean "purge"
 * is reported with its reason, and audited.
 */
export function createCheckPurge({ config }: ActivityDeps) {
  return async function checkPurge(step: DeprovisioningStep): Promise<PurgeVerdict> {
    const verdict = await decide(step, config);
    await auditStep(step, 'checked', { ...verdict });
    return verdict;
  };
}

async function decide(step: DeprovisioningStep, config: ActivityDeps['config']): Promise<PurgeVerdict> {
  const [user, scim, identity, settings] = await Promise.all([
    UserModel.findById(step.userId, { status: 1 }).lean(),
    ScimUserModel.findById(step.scimId).lean(),
    SsoIdentityModel.findOne({ tenantId: step.tenantId, objectId: step.objectId }, { userId: 1, status: 1 }).lean(),
    provisioningSettings(config, step.tenantId),
  ]);
  if (!user || user.status === 'deleting' || user.status === 'deleted')
    return { verdict: 'gone', reason: `the account is ${user?.status ?? 'missing'} already` };
  if (!scim || !scim.deletedAt) return { verdict: 'restore', reason: 'the directory has the user again (created again or set active)' };
  if (user.status === 'active') return { verdict: 'restore', reason: 'the account was made active again' };
  if (!identity || identity.status !== 'active' || String(identity.userId) !== step.userId) {
    return {
      verdict: 'held',
      reason: `the account is no longer bound to Entra object ${step.objectId}: staff must decide (restore it, or delete it by hand)`,
    };
  }
  if (user.status !== 'suspended') return { verdict: 'held', reason: `the account is ${user.status}, not suspended: staff must decide` };
  if (settings.legalHold)
    return {
      verdict: 'held',
      reason: `legal hold on the tenancy since ${settings.legalHold.at.toISOString()} (${settings.legalHold.by}): ${settings.legalHold.reason}`,
    };
  if (scim.legalHold?.at)
    return {
      verdict: 'held',
      reason: `legal hold on this user since ${scim.legalHold.at.toISOString()} (${scim.legalHold.by}): ${scim.legalHold.reason}`,
    };
  if (settings.purgesPaused)
    return {
      verdict: 'paused',
      reason: `purges paused for the tenancy since ${settings.purgesPaused.at.toISOString()} (${settings.purgesPaused.by}): ${settings.purgesPaused.reason}`,
    };
  return { verdict: 'purge' };
}
