import type { ActivityDeps } from '../deps';
import { createCheckPurge } from './check-purge';
import { recordPurged } from './record-purged';
import { restoreDeprovisioned } from './restore';
import { suspendForDeprovisioning } from './suspend';

/** The steps of `deprovisionUser`, one file each; the purge itself is `deleteUser`'s. */
export function createDeprovisioningActivities(deps: ActivityDeps) {
  return {
    suspendForDeprovisioning,
    checkPurge: createCheckPurge(deps),
    restoreDeprovisioned,
    recordPurged,
  };
}
