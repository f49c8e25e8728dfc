/**
 * One metadata refresh and what follows from it. At most one runs at a time (staff, the
 * schedule and a signature burst may ask together). A failure never touches the trusted set
 * (the activity writes nothing when the fetch or parse fails): it becomes the connection's
 * problem, shown as `failing`, and staff are alerted once per problem.
 */
import { condition } from '@temporalio/workflow';
import { SIGNATURE_BURST, type ConnectionState, type RefreshResult, type RefreshTrigger } from '../../lib/contracts/connection';
import { refusal } from '../onboarding/activities';
import { acts, refreshActs } from './activities';
import { note } from './status';

export type Refresh = (trigger: RefreshTrigger, staffEmail?: string) => Promise<void>;

export function metadataRefresher(state: ConnectionState): Refresh {
  let running = false;
  return async (trigger, staffEmail) => {
    await condition(() => !running);
    running = true;
    try {
      await refreshMetadata(state, trigger, staffEmail);
    } finally {
      running = false;
    }
  };
}

async function refreshMetadata(state: ConnectionState, trigger: RefreshTrigger, staffEmail?: string): Promise<void> {
  const at = new Date().toISOString();
  try {
    const result = await refreshActs.refreshConnectionMetadata({ tenantId: state.tenantId, trigger, staffEmail });
    state.certificates = result.certificates;
    const message = summary(result);
    state.lastRefresh = { at, outcome: 'ok', trigger, message };
    if (resolves(state, trigger, result, Date.parse(at))) state.problem = undefined;
    note(state, `Metadata refreshed (${trigger}): ${message}`, staffEmail);
  } catch (err) {
    const message = refusal(err).message;
    state.lastRefresh = { at, outcome: 'failed', trigger, message };
    note(state, `Metadata refresh failed (${trigger}); the trusted certificates are unchanged: ${message}`, staffEmail);
    if (!state.problem) {
      state.problem = { kind: 'refresh-failed', message: `Federation metadata could not be refreshed: ${message}`, at };
      await acts.sendConnectionAlert({
        tenantId: state.tenantId,
        key: `refresh-failed:${at}`,
        headline: 'Federation metadata refresh failed',
        details: `Entrada could not refresh the federation metadata of this tenancy (${message}). The certificates trusted so far stay trusted; sign-in keeps working while they are valid. Check the tenancy's metadata, then refresh from the staff console.`,
      });
    }
  } finally {
    state.nextRefreshAt = new Date(Date.now() + state.refreshIntervalMs).toISOString();
  }
}

function summary(r: RefreshResult): string {
  const parts = [
    r.staged.length ? `staged ${r.staged.join(', ')}` : '',
    r.unpublished.length ? `no longer published (trusted until expiry): ${r.unpublished.join(', ')}` : '',
    r.dropped.length ? `expired: ${r.dropped.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : `no change (${r.certificates.length} trusted)`;
}

/**
 * Whether this successful refresh ends the current problem: a refresh failure ends with any
 * success; signature failures end when the refresh staged a certificate (the likely cause:
 * Entra switched to a key we did not know), or at a scheduled refresh once a whole burst
 * window passed without another burst.
 */
function resolves(state: ConnectionState, trigger: RefreshTrigger, result: RefreshResult, now: number): boolean {
  if (!state.problem) return false;
  if (state.problem.kind === 'refresh-failed') return true;
  if (result.staged.length > 0) return true;
  return trigger === 'schedule' && now - Date.parse(state.problem.at) > SIGNATURE_BURST.windowMs;
}
