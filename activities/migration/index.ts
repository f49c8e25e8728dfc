import type { ActivityDeps } from '../deps';
import { createMigrationAccountActivities } from './account';
import { createMigrationNoticeActivities } from './notify';
import { createMigrationObjectActivities } from './objects';
import { createSweeperActivities } from './sweeper';

/** Activities of the lazy migration (`migrateUser`) and of the stalled-migration sweeper. */
export function createMigrationActivities(deps: ActivityDeps) {
  return {
    ...createMigrationAccountActivities(),
    ...createMigrationObjectActivities(),
    ...createMigrationNoticeActivities(deps),
    ...createSweeperActivities(deps),
  };
}
