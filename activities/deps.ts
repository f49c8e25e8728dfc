import type { Config } from '../lib/config';
import type { Mailer } from '../lib/mailer';

/** What activities are built from (`createActivities(deps)`): injected, so tests pass their own. */
export interface ActivityDeps {
  config: Config;
  mailer: Mailer;
}
