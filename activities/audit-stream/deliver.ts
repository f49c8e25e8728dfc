import { Context } from '@temporalio/activity';
import { readAfter, type ChainEvent } from '../../lib/audit-chain/read';
import { linkKey } from '../../lib/audit-chain/hash';
import { packBatches, toItems } from '../../lib/audit-stream/batches';
import { loadStreamSettings } from '../../lib/audit-stream/config';
import { advanceCursor, quarantineEvent, streamCursor, streamLag } from '../../lib/audit-stream/progress';
import { sendBatch, type SendContext } from '../../lib/audit-stream/send';
import type { RoundOutcome, RoundResult } from '../../lib/contracts/audit-stream';
import { AuditEventModel, AuditStreamModel } from '../../lib/models';
import { SecretUnavailable } from '../../lib/secret-box';
import type { ActivityDeps } from '../deps';

/** A round's length: the workflow hears about lag and backlog at least this often. */
const ROUND_MS = 20_000;
/** How often a caught-up stream looks for new events (one indexed look-up). */
const POLL_MS = 1_000;
/** Events read at a time (a few batches' worth). */
const READ = 5_000;

/**
 * One delivery round of a tenancy's stream (up to ~20 s): reads events after the durable
 * cursor, posts them in batches, moves the cursor after each accepted batch, and waits for
 * new events when caught up. It returns early when the workspace asks to wait or must be
 * fixed by staff, when the configuration changed, or when cancelled. A killed worker loses
 * nothing: the next attempt starts from the cursor, and resends carry the same EventIds.
 */
export function createDeliverAuditEvents({ config }: ActivityDeps) {
  return async function deliverAuditEvents({ tenantId }: { tenantId: string }): Promise<RoundResult> {
    const activity = Context.current();
    let cursor = await streamCursor(tenantId);
    const totals = { delivered: 0, quarantined: 0, batches: 0 };
    const finish = async (outcome: RoundOutcome): Promise<RoundResult> => ({
      outcome,
      ...totals,
      cursor,
      ...(await streamLag(tenantId, cursor)),
    });

    let settings;
    try {
      settings = await loadStreamSettings(config, tenantId);
    } catch (err) {
      if (err instanceof SecretUnavailable) return finish({ kind: 'paused', reason: `${err.message}: set the client secret again` });
      throw err;
    }
    if (!settings?.enabled) return finish({ kind: 'off' });

    const ctx: SendContext = { settings, quarantine: (item, outcome) => quarantineEvent(tenantId, item, outcome) };
    const beat = setInterval(() => activity.heartbeat(cursor), 5_000);
    // While a chunk is sent, the next one is read: the database and the HTTP calls overlap.
    let prefetched: Promise<ChainEvent[]> | undefined;
    const readNext = async (after: number) =>
      (await AuditEventModel.exists({ link: linkKey(tenantId, after + 1) })) ? readAfter(tenantId, after, READ) : [];
    try {
      const deadline = Date.now() + ROUND_MS;
      while (Date.now() < deadline && !activity.cancellationSignal.aborted) {
        const current = await AuditStreamModel.findOne({ tenantId }, { configVersion: 1 }).lean();
        if (current?.configVersion !== settings.configVersion) break;
        const events = await (prefetched ?? readNext(cursor));
        prefetched = undefined;
        if (!events.length) {
          await activity.sleep(POLL_MS).catch(() => undefined);
          continue;
        }
        if (events.length === READ) prefetched = readNext(events[events.length - 1].seq);
        for (const batch of packBatches(toItems(events, settings.level))) {
          const sent = await sendBatch(batch, ctx);
          totals.batches += 1;
          if (sent.settled) {
            cursor = batch[sent.settled - 1].seq;
            await advanceCursor(tenantId, cursor, sent.settled, sent.quarantined);
            totals.delivered += sent.settled - sent.quarantined;
            totals.quarantined += sent.quarantined;
            activity.heartbeat(cursor);
          }
          if (sent.stop?.kind === 'pause') return await finish({ kind: 'paused', reason: sent.stop.reason });
          if (sent.stop) return await finish({ kind: 'retry', reason: sent.stop.reason, afterMs: sent.stop.afterMs ?? 0 });
        }
      }
      return await finish({ kind: 'caught-up' });
    } finally {
      clearInterval(beat);
      // A read started for a chunk that will not be sent now: let it finish unobserved.
      prefetched?.catch(() => undefined);
    }
  };
}
