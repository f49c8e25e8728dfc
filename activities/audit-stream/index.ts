import type { ActivityDeps } from '../deps';
import { createDeliverAuditEvents } from './deliver';
import { createStreamStateActivities } from './state';

/** The audit stream's activities (they run on the stream task queue). */
export function createAuditStreamActivities(deps: ActivityDeps) {
  return {
    deliverAuditEvents: createDeliverAuditEvents(deps),
    ...createStreamStateActivities(deps),
  };
}
