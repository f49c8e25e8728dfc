/**
 * The connection's visible status: the ConnectionHealth search attribute (staff filter on it
 * in the Temporal UI and the console) and the current details, kept in step with the state;
 * and its bounded event list.
 */
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { ConnectionHealthKey, EVENTS_KEPT, type ConnectionState } from '../../lib/contracts/connection';
import { healthOf, lastToExpire } from '../../lib/contracts/connection-rules';

export function note(state: ConnectionState, event: string, by?: string): void {
  state.events.push({ at: new Date().toISOString(), event, ...(by ? { by } : {}) });
  if (state.events.length > EVENTS_KEPT) state.events.splice(0, state.events.length - EVENTS_KEPT);
}

export function showStatus(state: ConnectionState): void {
  const now = Date.now();
  const health = healthOf(state, now);
  if (health !== state.health || workflowInfo().typedSearchAttributes.get(ConnectionHealthKey) !== health) {
    state.health = health;
    upsertSearchAttributes([{ key: ConnectionHealthKey, value: health }]);
  }
  const last = lastToExpire(state.certificates, now);
  const lines = [
    `**Health:** ${health}`,
    `**Trusted certificates:** ${state.certificates.map((c) => `${c.thumbprint} (until ${c.notAfter.slice(0, 10)}${c.stagedAt && !c.provenAt ? ', staged' : ''}${c.unpublishedAt ? ', unpublished' : ''})`).join('; ') || 'none'}`,
    `**Sign-in works until:** ${last?.notAfter ?? 'no trusted certificate'}`,
    state.paused ? `**Paused** by ${state.paused.by}: ${state.paused.reason}` : `**Next metadata refresh:** ${state.nextRefreshAt}`,
  ];
  if (state.problem) lines.push(`**Problem:** ${state.problem.message} (since ${state.problem.at})`);
  if (state.lastRefresh)
    lines.push(
      `**Last refresh:** ${state.lastRefresh.outcome} at ${state.lastRefresh.at} (${state.lastRefresh.trigger}): ${state.lastRefresh.message}`,
    );
  setCurrentDetails(lines.join('\n\n'));
}
