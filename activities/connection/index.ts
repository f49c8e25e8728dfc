import type { ActivityDeps } from '../deps';
import { createConnectionCertificateActivities } from './certificates';
import { createConnectionNoticeActivities } from './notices';
import { createConnectionSettingsActivities } from './settings';

/** The SSO connection's side effects: the trusted certificate set, warnings, alerts, audit. */
export function createConnectionActivities(deps: ActivityDeps) {
  return {
    ...createConnectionCertificateActivities(deps),
    ...createConnectionNoticeActivities(deps),
    ...createConnectionSettingsActivities(deps),
  };
}
