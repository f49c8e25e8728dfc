import { gzipBatch, type StreamItem } from './batches';
import type { StreamSettings } from './config';
import { postRows, type HttpOutcome } from './logs-ingestion';
import { ingestionVerdict, tokenVerdict, type Verdict } from './outcomes';
import { bearerToken, forgetToken } from './tokens';

/** Where a batch ended up: the leading items settled (accepted, or quarantined), and why it stopped, if it did. */
export interface SendResult {
  settled: number;
  quarantined: number;
  stop?: Extract<Verdict, { kind: 'retry' | 'pause' }>;
}

export interface SendContext {
  settings: StreamSettings;
  /** Keeps a refused event with the answer; the stream then goes past it. */
  quarantine(item: StreamItem, outcome: HttpOutcome): Promise<void>;
  /** Set once a 401 made the stream fetch a fresh token (the one retry it gets). */
  refreshed?: boolean;
}

/**
 * Posts one batch and handles the answer (outcomes.ts): 401 → one fresh token and again;
 * 413 → halves; 400 → halves down to the refused event(s), which are quarantined; 429/503/5xx
 * and 403/404 stop the round with the verdict (wait, or pause). Halves are sent in order, so
 * what settled is always a leading part of the batch and the cursor can move to its end.
 */
export async function sendBatch(items: StreamItem[], ctx: SendContext): Promise<SendResult> {
  const { settings } = ctx;
  const token = await bearerToken(settings.app, settings.secretVersion);
  if (!token.ok) return { settled: 0, quarantined: 0, stop: stopOf(tokenVerdict(token.outcome)) };

  const outcome = await postRows(settings.target, token.token, await gzipBatch(items));
  const verdict = ingestionVerdict(outcome);
  switch (verdict.kind) {
    case 'delivered':
      return { settled: items.length, quarantined: 0 };
    case 'refresh-token':
      forgetToken(settings.app, settings.secretVersion);
      if (ctx.refreshed)
        return { settled: 0, quarantined: 0, stop: { kind: 'pause', reason: `${verdict.reason}, even with a fresh token` } };
      ctx.refreshed = true;
      return sendBatch(items, ctx);
    case 'split':
    case 'quarantine': {
      if (items.length === 1) {
        await ctx.quarantine(items[0], outcome);
        return { settled: 1, quarantined: 1 };
      }
      const half = Math.ceil(items.length / 2);
      const first = await sendBatch(items.slice(0, half), ctx);
      if (first.stop) return first;
      const second = await sendBatch(items.slice(half), ctx);
      return {
        settled: first.settled + second.settled,
        quarantined: first.quarantined + second.quarantined,
        ...(second.stop ? { stop: second.stop } : {}),
      };
    }
    default:
      return { settled: 0, quarantined: 0, stop: stopOf(verdict) };
  }
}

const stopOf = (v: Verdict): SendResult['stop'] =>
  v.kind === 'retry' || v.kind === 'pause' ? v : { kind: 'retry', reason: `unexpected verdict ${v.kind}` };
