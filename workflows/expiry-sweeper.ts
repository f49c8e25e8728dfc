import { proxyActivities, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ExpirySweepResult, ExpiryStatus, SweptCollection } from '../lib/contracts/expiry';
import { NON_RETRYABLE } from '../lib/contracts/failures';
import { EntradaStatusKey } from '../lib/contracts/shared';

/**
 * Started by the expiry Schedule (EXPIRY_SWEEPER_SCHEDULE_ID, overlap SKIP): deletes expired
 * sessions, claims, SAML request and replay rows and rate-limit hits, one collection after
 * another. Where the database has TTL indexes (MongoDB) it finds little; on FerretDB it is
 * what keeps those collections bounded. Progress: the status search attribute, the current
 * details, the activity heartbeat (rows deleted so far) and the result. The schedule passes
 * the collections (lib/expiry.ts is the list; workflow code cannot import it).
 */
export async function expirySweeper(collections: string[]): Promise<ExpirySweepResult> {
  const swept: SweptCollection[] = [];
  for (const collection of collections) {
    setStatus('sweeping', `${collection}…  done so far: ${describe(swept)}`);
    swept.push(await acts.sweepExpired(collection));
  }
  setStatus('swept', describe(swept));
  return { swept, deleted: swept.reduce((n, s) => n + s.deleted, 0) };
}

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '5s', maximumInterval: '1m', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
});

const describe = (swept: SweptCollection[]) => swept.map((s) => `${s.collection} ${s.deleted}`).join(', ') || 'nothing yet';

function setStatus(status: ExpiryStatus, details: string): void {
  upsertSearchAttributes([{ key: EntradaStatusKey, value: status }]);
  setCurrentDetails(`**Expiry sweep** — ${details}`);
}
