/**
 * Azure Monitor's Logs Ingestion API, the two calls a stream makes: an OAuth token by client
 * credentials (scope `https://monitor.azure.com//.default`) from the authority, and a POST of
 * gzipped JSON rows to `{endpoint}/dataCollectionRules/{dcrId}/streams/{stream}`. Answers are
 * returned as they came (status, headers, body): callers decide, and staff see them verbatim.
 */
export const MONITOR_SCOPE = 'https://monitor.azure.com//.default';
export const INGESTION_API_VERSION = '2023-01-01';
const TIMEOUT_MS = 30_000;

export interface AppCredentials {
  authority: string;
  directoryId: string;
  clientId: string;
  clientSecret: string;
}

export interface IngestionTarget {
  endpoint: string;
  dcrImmutableId: string;
  streamName: string;
}

/** An HTTP answer, or status 0 when there was none (refused, reset, timed out). */
export interface HttpOutcome {
  status: number;
  body: string;
  retryAfter?: string;
  requestId?: string;
  error?: string;
}

export type TokenResult = { ok: true; token: string; expiresAt: number } | { ok: false; outcome: HttpOutcome };

export const tokenUrl = (authority: string, directoryId: string) =>
  `${authority.replace(/\/+$/, '')}/${encodeURIComponent(directoryId)}/oauth2/v2.0/token`;
export const ingestionUrl = (t: IngestionTarget) =>
  `${t.endpoint.replace(/\/+$/, '')}/dataCollectionRules/${encodeURIComponent(t.dcrImmutableId)}/streams/${encodeURIComponent(t.streamName)}?api-version=${INGESTION_API_VERSION}`;

export async function requestToken(c: AppCredentials): Promise<TokenResult> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: c.clientId,
    client_secret: c.clientSecret,
    scope: MONITOR_SCOPE,
  });
  const outcome = await send(tokenUrl(c.authority, c.directoryId), {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (outcome.status !== 200) return { ok: false, outcome };
  try {
    const parsed = JSON.parse(outcome.body) as { access_token?: string; expires_in?: number | string };
    if (!parsed.access_token) throw new Error('no access_token');
    return { ok: true, token: parsed.access_token, expiresAt: Date.now() + Number(parsed.expires_in ?? 3599) * 1000 };
  } catch (err) {
    return { ok: false, outcome: { ...outcome, error: `unreadable token response: ${(err as Error).message}` } };
  }
}

export function postRows(target: IngestionTarget, token: string, gzipped: Buffer): Promise<HttpOutcome> {
  return send(ingestionUrl(target), {
    method: 'POST',
    body: gzipped,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
  });
}

async function send(url: string, init: RequestInit): Promise<HttpOutcome> {
  try {
    const res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
    return {
      status: res.status,
      body: (await res.text()).slice(0, 4000),
      ...(res.headers.get('retry-after') ? { retryAfter: res.headers.get('retry-after')! } : {}),
      ...(res.headers.get('x-ms-request-id') ? { requestId: res.headers.get('x-ms-request-id')! } : {}),
    };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, body: '', error: cause?.code ?? cause?.message ?? (err as Error).message };
  }
}

/** The short form staff read: `204`, `403 {"error":…}`, `no answer (ECONNREFUSED)`. */
export const describeOutcome = (o: HttpOutcome) =>
  o.status === 0 ? `no answer (${o.error})` : `${o.status}${o.body ? ` ${o.body.slice(0, 300)}` : ''}`;
