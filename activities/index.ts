import type { ActivityDeps } from './deps';
import { createSystemCheckActivities } from './system-check';

export type { ActivityDeps } from './deps';

/** Every activity, built from injected dependencies. Workflows import `type Activities` only. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemCheckActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
