import type { ActivityDeps } from '../deps';
import { createDomainActivities } from './domains';
import { createOnboardingEmailActivities } from './emails';
import { createIdpMetadataActivities } from './idp-metadata';
import { createMetadataActivities } from './metadata';
import { createTenantRecordActivities } from './tenant-record';

/** Tenant onboarding's side effects: the Tenant record, emails, metadata, domain claims. */
export function createOnboardingActivities(deps: ActivityDeps) {
  return {
    ...createTenantRecordActivities(deps),
    ...createOnboardingEmailActivities(deps),
    ...createMetadataActivities(deps),
    ...createIdpMetadataActivities(deps),
    ...createDomainActivities(deps),
  };
}
