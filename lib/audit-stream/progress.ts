import { audit } from '../audit';
import { linkKey } from '../audit-chain/hash';
import { readHead } from '../audit-chain/heads';
import { AuditEventModel, AuditStreamProgressModel, AuditStreamQuarantineModel } from '../models';
import type { StreamState } from '../contracts/audit-stream';
import type { StreamItem } from './batches';
import { describeOutcome, type HttpOutcome } from './logs-ingestion';

/**
 * The stream's durable side: its cursor (moved only past events the workspace accepted or that
 * were quarantined), its counters and state for the console, and the quarantine.
 */
export async function streamCursor(tenantId: string): Promise<number> {
  return (await AuditStreamProgressModel.findById(tenantId, { cursor: 1 }).lean())?.cursor ?? 0;
}

export async function advanceCursor(tenantId: string, cursor: number, delivered: number, quarantined: number): Promise<void> {
  await AuditStreamProgressModel.updateOne(
    { _id: tenantId },
    { $set: { cursor, deliveredAt: new Date() }, $inc: { delivered: delivered - quarantined, quarantined } },
    { upsert: true },
  );
}

export async function recordStreamState(tenantId: string, state: StreamState, reason?: string): Promise<void> {
  await AuditStreamProgressModel.updateOne(
    { _id: tenantId },
    { $set: { state, reason: reason ?? null, stateSince: new Date() } },
    { upsert: true },
  );
}

/** An event the workspace refused (400, or 413 on its own): kept with the answer, audited once. */
export async function quarantineEvent(tenantId: string, item: StreamItem, outcome: HttpOutcome): Promise<void> {
  const error = describeOutcome(outcome);
  const { upsertedCount } = await AuditStreamQuarantineModel.updateOne(
    { tenantId, eventId: item.eventId },
    { $setOnInsert: { seq: item.seq, status: outcome.status, error, at: new Date() } },
    { upsert: true },
  );
  if (upsertedCount) {
    await audit({
      action: 'audit-stream.quarantined',
      outcome: 'failure',
      actor: { kind: 'system' },
      target: { type: 'audit-event', id: item.eventId },
      tenantId,
      details: { seq: item.seq, status: outcome.status, reason: error.slice(0, 500) },
    });
  }
}

export async function quarantinedEvents(tenantId: string) {
  const rows = await AuditStreamQuarantineModel.find({ tenantId: tenantId.toLowerCase() }).lean();
  return rows
    .sort((a, b) => a.seq - b.seq)
    .map((q) => ({ eventId: q.eventId, seq: q.seq, status: q.status, error: q.error, at: q.at.toISOString() }));
}

/** How far behind the workspace is: events after the cursor, and the age of the first of them. */
export async function streamLag(tenantId: string, cursor: number): Promise<{ head: number; backlog: number; lagSeconds: number }> {
  const head = Math.max(cursor, (await readHead(tenantId)).seq);
  if (head === cursor) return { head, backlog: 0, lagSeconds: 0 };
  const next = await AuditEventModel.findOne({ link: linkKey(tenantId, cursor + 1) }, { at: 1 }).lean();
  return { head, backlog: head - cursor, lagSeconds: next ? Math.max(0, Math.round((Date.now() - +next.at) / 1000)) : 0 };
}
