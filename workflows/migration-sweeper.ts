import { proxyActivities, setCurrentDetails, upsertSearchAttributes, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE } from '../lib/contracts/failures';
import type { SweepResult, SweeperStatus } from '../lib/contracts/migration';
import { EntradaStatusKey } from '../lib/contracts/shared';

/**
 * Started by the stalled-migration Schedule (SWEEPER_SCHEDULE_ID, overlap SKIP). Finds
 * accounts left in `migrating` (a migration whose workflow failed, was terminated or never
 * started after the account was marked) and restarts their migration under its own ID.
 */
export async function migrationSweeper(): Promise<SweepResult> {
  setStatus('sweeping', 'looking for stalled migrations');
  const stalled = await acts.findStalledMigrations();
  let restarted = 0;
  for (const m of stalled) {
    if ((await acts.restartStalledMigration(m)).restarted) restarted += 1;
  }
  setStatus('swept', `found ${stalled.length} stalled migration(s), restarted ${restarted}`);
  return { found: stalled.length, restarted };
}

const retry: ActivityOptions['retry'] = {
  initialInterval: '1s',
  maximumInterval: '30s',
  maximumAttempts: 5,
  nonRetryableErrorTypes: NON_RETRYABLE,
};
const acts = proxyActivities<Activities>({ startToCloseTimeout: '2m', retry });

function setStatus(status: SweeperStatus, details: string): void {
  upsertSearchAttributes([{ key: EntradaStatusKey, value: status }]);
  setCurrentDetails(`**Stalled-migration sweep** — ${details}`);
}
