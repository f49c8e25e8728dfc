import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { audit, type AuditInput } from '../audit';
import { notFound } from '../errors';
import { loadStreamSettings } from './config';
import type { AuditStreamDeps } from './deps';
import { ingestionUrl, postRows, requestToken, tokenUrl, type HttpOutcome } from './logs-ingestion';
import { ingestionVerdict, tokenVerdict } from './outcomes';
import type { StreamRow } from './columns';

export interface TestEventResult {
  ok: boolean;
  /** Where it stopped: getting a token, or posting the row. */
  step: 'token' | 'ingestion';
  url: string;
  status: number;
  body: string;
  requestId?: string;
  retryAfter?: string;
  error?: string;
  durationMs: number;
  /** What it means, in words (empty when it worked). */
  explanation: string;
  eventId: string;
}

/**
 * "Send test event": one row through the real path (a fresh token, then the POST), with the
 * exact answer of whichever call stopped it. The row is marked `EntradaTestEvent`; it is not
 * an audit event, so it has no place in the chain (EntradaSeq 0).
 */
export async function sendTestEvent(
  deps: AuditStreamDeps,
  tenantId: string,
  by: NonNullable<AuditInput['actor']>,
): Promise<TestEventResult> {
  const tid = tenantId.toLowerCase();
  const settings = await loadStreamSettings(deps.config, tid);
  if (!settings) throw notFound(`No audit stream is configured for ${tid}.`);
  const started = Date.now();
  const eventId = `test-${randomUUID()}`;
  const report = (step: TestEventResult['step'], url: string, o: HttpOutcome, explanation: string): TestEventResult => ({
    ok: o.status === 204,
    step,
    url,
    status: o.status,
    body: o.body,
    ...(o.requestId ? { requestId: o.requestId } : {}),
    ...(o.retryAfter ? { retryAfter: o.retryAfter } : {}),
    ...(o.error ? { error: o.error } : {}),
    durationMs: Date.now() - started,
    explanation,
    eventId,
  });

  let result: TestEventResult;
  const token = await requestToken(settings.app);
  if (!token.ok) {
    const verdict = tokenVerdict(token.outcome);
    result = report(
      'token',
      tokenUrl(settings.app.authority, settings.app.directoryId),
      token.outcome,
      'reason' in verdict ? verdict.reason : '',
    );
  } else {
    const row: StreamRow = {
      TimeGenerated: new Date().toISOString(),
      EventId: eventId,
      EventType: 'EntradaTestEvent',
      EventOriginalType: 'audit-stream.test-event',
      EventResult: 'Success',
      ActorUsername: by.email ?? by.kind,
      EntradaTenantId: tid,
      EntradaSeq: 0,
    };
    const outcome = await postRows(settings.target, token.token, gzipSync(JSON.stringify([row])));
    const verdict = ingestionVerdict(outcome);
    result = report('ingestion', ingestionUrl(settings.target), outcome, 'reason' in verdict ? verdict.reason : '');
  }
  await audit({
    action: 'audit-stream.test-event',
    outcome: result.ok ? 'success' : 'failure',
    actor: by,
    target: { type: 'audit-stream', id: tid },
    tenantId: tid,
    details: { step: result.step, status: result.status, ...(result.ok ? {} : { reason: result.explanation }) },
  });
  return result;
}
