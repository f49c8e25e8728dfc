import type { ActivityDeps } from '../deps';
import { markUserDeleting } from './mark-deleting';
import { createNotifyDeletion } from './notify';
import { purgeUserFiles } from './purge-user-files';
import { purgeOrphanedHub, releaseUserHubs } from './release-hubs';
import { removeUserLinks } from './remove-links';
import { revokeUserSessions } from './revoke-sessions';
import { tombstoneUser } from './tombstone';

/** The steps of `deleteUser`, one file each; the purges run on the purge task queue. */
export function createDeletionActivities(deps: ActivityDeps) {
  return {
    markUserDeleting,
    revokeUserSessions,
    purgeUserFiles,
    releaseUserHubs,
    purgeOrphanedHub,
    removeUserLinks,
    tombstoneUser,
    notifyUserDeleted: createNotifyDeletion(deps),
  };
}
