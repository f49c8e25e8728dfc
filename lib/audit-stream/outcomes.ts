import { describeOutcome, type HttpOutcome } from './logs-ingestion';

/**
 * What an answer from the authority or the ingestion endpoint means for a stream, and how to
 * say it to staff. The stream's handling follows this table:
 *
 *   204          delivered: move the cursor
 *   429 / 503    wait for Retry-After (or back off), then resend
 *   413          split the batch
 *   401          get a fresh token once, then pause
 *   400          split down to the refused event(s) and quarantine them; the stream goes on
 *   403 / 404    pause with a clear reason and tell staff: only they can fix it
 *   other, none  back off and resend
 */
export type Verdict =
  | { kind: 'delivered' }
  | { kind: 'retry'; afterMs?: number; reason: string }
  | { kind: 'split'; reason: string }
  | { kind: 'refresh-token'; reason: string }
  | { kind: 'quarantine'; reason: string }
  | { kind: 'pause'; reason: string };

const AADSTS: Record<string, string> = {
  AADSTS7000215: 'Entra refused the client secret (AADSTS7000215, invalid secret): set the current secret of the app',
  AADSTS7000222: 'the client secret has expired (AADSTS7000222): set a new secret',
  AADSTS700016: 'Entra does not know the client ID in this directory (AADSTS700016): check the client ID and directory ID',
  AADSTS90002: 'Entra does not know the directory (AADSTS90002): check the directory ID',
  AADSTS500011: 'the Azure Monitor resource is not available to this directory (AADSTS500011)',
};

export function tokenVerdict(o: HttpOutcome): Verdict {
  if (o.status === 0 || o.status >= 500 || o.status === 429)
    return { kind: 'retry', afterMs: retryAfterMs(o.retryAfter), reason: `the token authority did not answer: ${describeOutcome(o)}` };
  const code = /AADSTS\d+/.exec(o.body)?.[0];
  return { kind: 'pause', reason: code && AADSTS[code] ? AADSTS[code] : `Entra refused the app's credentials: ${describeOutcome(o)}` };
}

export function ingestionVerdict(o: HttpOutcome): Verdict {
  switch (o.status) {
    case 204:
      return { kind: 'delivered' };
    case 429:
    case 503:
      return {
        kind: 'retry',
        afterMs: retryAfterMs(o.retryAfter),
        reason: `the workspace asked to wait (${o.status}${o.retryAfter ? `, Retry-After ${o.retryAfter}` : ''})`,
      };
    case 413:
      return { kind: 'split', reason: 'the batch was too large (413)' };
    case 401:
      return { kind: 'refresh-token', reason: `the workspace refused the token (401): ${describeOutcome(o)}` };
    case 400:
      return { kind: 'quarantine', reason: describeOutcome(o) };
    case 403:
      return { kind: 'pause', reason: `the app lacks the Monitoring Metrics Publisher role on the DCR (403): ${describeOutcome(o)}` };
    case 404:
      return {
        kind: 'pause',
        reason: `the DCR or its stream was not found (404): check the endpoint, the DCR immutable ID and the stream name. ${describeOutcome(o)}`,
      };
    default:
      return { kind: 'retry', reason: `the workspace did not accept the batch: ${describeOutcome(o)}` };
  }
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
