import type { ActivityDeps } from '../deps';
import { createReconcile } from './reconcile';

/** Activities of the provisioning reconciliation (the deprovisioning saga's are in ../deprovisioning). */
export function createProvisioningActivities(deps: ActivityDeps) {
  return { reconcileTenancy: createReconcile(deps) };
}
