import type { ActivityDeps } from './deps';
import { createSystemCheckActivities } from './system-check';
import { createMigrationActivities } from './migration';
import { createOnboardingActivities } from './onboarding';
import { createDeletionActivities } from './deletion';
import { createAuditStreamActivities } from './audit-stream';
import { createExpiryActivities } from './expiry';
import { createDeprovisioningActivities } from './deprovisioning';
import { createProvisioningActivities } from './provisioning';
import { createConnectionActivities } from './connection';
import { createDomainProofActivities } from './domains/proof';
import { refusalsAsFailures } from './refusals';

export type { ActivityDeps } from './deps';

/**
 * Every activity, built from injected dependencies. Workflows import `type Activities` only.
 * Activities refuse with a Refusal, which leaves them as a typed ApplicationFailure.
 */
export function createActivities(deps: ActivityDeps) {
  return refusalsAsFailures({
    ...createSystemCheckActivities(deps),
    ...createMigrationActivities(deps),
    ...createOnboardingActivities(deps),
    ...createDeletionActivities(deps),
    ...createAuditStreamActivities(deps),
    ...createExpiryActivities(),
    ...createDeprovisioningActivities(deps),
    ...createProvisioningActivities(deps),
    ...createConnectionActivities(deps),
    ...createDomainProofActivities(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;
