import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { Router, type Request, type Response } from 'express';
import type { Faults } from './faults';
import { rowProblem } from './schema';
import type { IngestionState } from './state';

/**
 * The Logs Ingestion API: `POST /dataCollectionRules/<dcr>/streams/<stream>?api-version=2023-01-01`
 * with a bearer token and JSON rows, gzipped or not. Checked in the service's order: the API
 * version, the token (401), the DCR (404) and the caller's role on it (403), the stream (404),
 * size (1 MB compressed and uncompressed: 413), gzip and JSON (400), the declared columns (400).
 * Accepted rows are stored and answered with 204.
 */
export const API_VERSION = '2023-01-01';

export function ingestRouter(state: IngestionState, faults: Faults, limits: { maxBytes: number }): Router {
  const router = Router();
  router.post('/dataCollectionRules/:dcrId/streams/:stream', async (req, res) => {
    // Read as sent (body-parser would refuse or inflate a gzipped body; the size checks need it raw).
    req.body = await readBody(req, 16 * 1024 * 1024);
    const fault = faults.take(false);
    if (fault?.kind === 'down' || (fault?.kind === 'drop' && !fault.afterStore)) return drop(state, req);
    if (fault?.kind === 'slow' && !fault.afterStore) await sleep(fault.delayMs);
    if (fault?.kind === 'throttle' || fault?.kind === 'unavailable') {
      return refuse(
        state,
        res.set('Retry-After', String(fault.retryAfter ?? 30)),
        fault.kind === 'throttle' ? 429 : 503,
        fault.kind === 'throttle' ? 'TooManyRequests' : 'ServiceUnavailable',
        'Try again after the Retry-After period.',
      );
    }
    if (fault?.kind === 'error') return refuse(state, res, 500, 'InternalServerError', 'An internal error occurred.');

    const problem = check(state, req, limits.maxBytes);
    if ('status' in problem) return refuse(state, res, problem.status, problem.code, problem.message);
    const poisoned = problem.rows.findIndex((r) => faults.poisonEventIds.has(String(r.EventId)));
    if (poisoned >= 0)
      return refuse(
        state,
        res,
        400,
        'InvalidContent',
        `Record ${poisoned} could not be processed by the data collection rule's transformation.`,
      );
    if (fault?.kind === 'forbidden')
      return refuse(
        state,
        res,
        403,
        'OperationFailed',
        `The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '${req.params.dcrId}'.`,
      );

    const receivedAt = new Date().toISOString();
    for (const row of problem.rows) state.rows.push({ dcr: String(req.params.dcrId), stream: String(req.params.stream), receivedAt, row });
    if (fault?.kind === 'slow') await sleep(fault.delayMs);
    if (fault?.kind === 'drop') return drop(state, req);
    state.count('204');
    res.status(204).set('x-ms-request-id', randomUUID()).end();
  });
  return router;
}

type Checked = { rows: Record<string, unknown>[] } | { status: number; code: string; message: string };

function check(state: IngestionState, req: Request, maxBytes: number): Checked {
  const { dcrId, stream } = req.params as Record<string, string>;
  if (req.query['api-version'] !== API_VERSION)
    return {
      status: 400,
      code: 'InvalidApiVersion',
      message: `The api-version '${String(req.query['api-version'] ?? '')}' is not supported; use ${API_VERSION}.`,
    };
  const bearer = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
  const token = bearer ? state.bearer(bearer) : undefined;
  if (!token)
    return {
      status: 401,
      code: 'InvalidToken',
      message: bearer ? 'The access token is invalid or has expired.' : 'An Authorization header with a bearer token is required.',
    };
  const dcr = state.dcrs.get(dcrId);
  if (!dcr) return { status: 404, code: 'NotFound', message: `Data collection rule with immutable Id '${dcrId}' not found.` };
  if (!dcr.publishers.has(token.clientId))
    return {
      status: 403,
      code: 'OperationFailed',
      message: `The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '${dcrId}'.`,
    };
  const columns = dcr.streams[stream];
  if (!columns)
    return { status: 404, code: 'InvalidStream', message: `Stream '${stream}' is not declared in the data collection rule '${dcrId}'.` };
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (body.length > maxBytes)
    return {
      status: 413,
      code: 'ContentLengthLimitExceeded',
      message: `The request body is ${body.length} bytes; the limit is ${maxBytes}.`,
    };
  let text: Buffer = body;
  if (/gzip/i.test(req.get('content-encoding') ?? '')) {
    try {
      text = gunzipSync(body, { maxOutputLength: maxBytes + 1 });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        return { status: 413, code: 'ContentLengthLimitExceeded', message: `The uncompressed body exceeds ${maxBytes} bytes.` };
      return { status: 400, code: 'InvalidContentEncoding', message: 'The body is not valid gzip.' };
    }
    if (text.length > maxBytes)
      return { status: 413, code: 'ContentLengthLimitExceeded', message: `The uncompressed body exceeds ${maxBytes} bytes.` };
  }
  let rows: unknown;
  try {
    rows = JSON.parse(text.toString('utf8'));
  } catch {
    return { status: 400, code: 'InvalidContent', message: 'The body is not valid JSON.' };
  }
  const problem = rowProblem(rows, columns);
  if (problem) return { status: 400, code: 'InvalidContent', message: problem };
  return { rows: rows as Record<string, unknown>[] };
}

function refuse(state: IngestionState, res: Response, status: number, code: string, message: string) {
  state.count(String(status));
  res.status(status).set('x-ms-request-id', randomUUID()).json({ error: { code, message } });
}

function drop(state: IngestionState, req: Request) {
  state.count('dropped');
  req.socket.destroy();
}

async function readBody(req: Request, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > cap) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
