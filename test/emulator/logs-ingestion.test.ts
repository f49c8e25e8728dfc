import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLogsIngestionEmulator, type LogsIngestionEmulator } from '../../emulator/logs-ingestion';

/** The Logs Ingestion emulator speaks the protocol: every refusal a real client must handle, by raw HTTP. */
let monitor: LogsIngestionEmulator;
let url: string;
let close: () => Promise<void>;
const app = { directoryId: randomUUID(), clientId: randomUUID(), clientSecret: 'right-secret' };
const STREAM = 'Custom-EntradaAudit_CL';
let dcr: string;

beforeAll(async () => {
  monitor = createLogsIngestionEmulator();
  ({ url, close } = await monitor.listen(0));
  monitor.registerApp(app);
  dcr = monitor.createDcr({
    streams: {
      [STREAM]: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'EventId', type: 'string' },
        { name: 'EntradaSeq', type: 'long' },
      ],
    },
    publishers: [app.clientId],
  }).immutableId;
});
afterAll(() => close());

const token = (form: Record<string, string>, directoryId = app.directoryId) =>
  fetch(`${url}/${directoryId}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
const credentials = {
  grant_type: 'client_credentials',
  client_id: app.clientId,
  client_secret: app.clientSecret,
  scope: 'https://monitor.azure.com//.default',
};
async function bearer() {
  return ((await (await token(credentials)).json()) as { access_token: string }).access_token;
}
const row = (id: string = randomUUID()) => ({ TimeGenerated: new Date().toISOString(), EventId: id, EntradaSeq: 1 });
async function ingest(
  body: unknown,
  opts: { auth?: string | null; dcrId?: string; stream?: string; gzip?: boolean; apiVersion?: string; raw?: Buffer } = {},
) {
  const auth = opts.auth === undefined ? await bearer() : opts.auth;
  const json = Buffer.from(JSON.stringify(body));
  const payload = opts.raw ?? (opts.gzip === false ? json : gzipSync(json));
  const res = await fetch(
    `${url}/dataCollectionRules/${opts.dcrId ?? dcr}/streams/${opts.stream ?? STREAM}?api-version=${opts.apiVersion ?? '2023-01-01'}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.gzip === false ? {} : { 'content-encoding': 'gzip' }),
        ...(auth ? { authorization: `Bearer ${auth}` } : {}),
      },
      body: payload,
    },
  );
  const text = await res.text();
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    error: text ? (JSON.parse(text) as { error: { code: string; message: string } }).error : undefined,
  };
}

describe('token endpoint (client credentials)', () => {
  test.each([
    ['the right credentials', credentials, app.directoryId, 200, undefined],
    ['a wrong secret', { ...credentials, client_secret: 'wrong' }, app.directoryId, 401, 'AADSTS7000215'],
    ['an unknown client', { ...credentials, client_id: randomUUID() }, app.directoryId, 400, 'AADSTS700016'],
    ['an unknown directory', credentials, randomUUID(), 400, 'AADSTS90002'],
    ['another scope', { ...credentials, scope: 'https://graph.microsoft.com/.default' }, app.directoryId, 400, 'AADSTS70011'],
    ['another grant', { ...credentials, grant_type: 'password' }, app.directoryId, 400, 'AADSTS70003'],
  ])('%s → %s', async (_name, form, directoryId, status, code) => {
    const res = await token(form, directoryId);
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(status);
    if (code) expect(body.error_description).toMatch(new RegExp(`^${code}: `));
    else expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, access_token: expect.any(String) });
  });
});

describe('ingestion endpoint', () => {
  test('accepted rows are stored as sent and answered 204, gzipped or plain', async () => {
    const [a, b] = [row(), row()];
    expect((await ingest([a])).status).toBe(204);
    expect((await ingest([b], { gzip: false })).status).toBe(204);
    expect(
      monitor
        .rows(dcr, STREAM)
        .slice(-2)
        .map((r) => r.row),
    ).toEqual([a, b]);
  });

  test.each([
    ['no bearer token', [row()], { auth: null }, 401, 'InvalidToken'],
    ['a token it never issued', [row()], { auth: 'forged' }, 401, 'InvalidToken'],
    ['an unknown DCR', [row()], { dcrId: `dcr-${'f'.repeat(32)}` }, 404, 'NotFound'],
    ['a stream the DCR does not declare', [row()], { stream: 'Custom-Other_CL' }, 404, 'InvalidStream'],
    ['another api-version', [row()], { apiVersion: '2021-11-01-preview' }, 400, 'InvalidApiVersion'],
    ['a body that is not gzip', [row()], { raw: Buffer.from('not gzip') }, 400, 'InvalidContentEncoding'],
    ['an object instead of an array', row(), {}, 400, 'InvalidContent'],
    ['an undeclared column', [{ ...row(), TenantId: 'x' }], {}, 400, 'InvalidContent'],
    ['a value of the wrong type', [{ ...row(), EntradaSeq: 'one' }], {}, 400, 'InvalidContent'],
    ['a time that is not one', [{ ...row(), TimeGenerated: 'yesterday' }], {}, 400, 'InvalidContent'],
    [
      'more than 1 MB uncompressed (gzip is small)',
      Array.from({ length: 12_000 }, () => row('x'.repeat(60))),
      {},
      413,
      'ContentLengthLimitExceeded',
    ],
  ])('refuses %s', async (_name, body, opts, status, code) => {
    const before = monitor.rows().length;
    const res = await ingest(body, opts);
    expect([res.status, res.error?.code]).toEqual([status, code]);
    expect(monitor.rows()).toHaveLength(before);
  });

  test('an app without the Monitoring Metrics Publisher role on the DCR gets 403', async () => {
    const other = { directoryId: app.directoryId, clientId: randomUUID(), clientSecret: 's' };
    monitor.registerApp(other);
    const t = ((await (await token({ ...credentials, client_id: other.clientId, client_secret: 's' })).json()) as { access_token: string })
      .access_token;
    const res = await ingest([row()], { auth: t });
    expect([res.status, res.error?.message]).toEqual([403, expect.stringContaining('does not have access to ingest data')]);
  });
});

describe('fault switches', () => {
  test('429 and 503 carry Retry-After and clear after `times`; 500; 403', async () => {
    monitor.faults.set({ kind: 'throttle', retryAfter: 7, times: 2 });
    expect(await ingest([row()])).toMatchObject({ status: 429, retryAfter: '7' });
    expect(await ingest([row()])).toMatchObject({ status: 429 });
    expect((await ingest([row()])).status).toBe(204);
    monitor.faults.set({ kind: 'unavailable', retryAfter: 3, times: 1 });
    expect(await ingest([row()])).toMatchObject({ status: 503, retryAfter: '3' });
    monitor.faults.set({ kind: 'error', times: 1 });
    expect((await ingest([row()])).status).toBe(500);
    monitor.faults.set({ kind: 'forbidden', times: 1 });
    expect((await ingest([row()])).status).toBe(403);
  });

  test('a dropped connection gives no answer; with afterStore the rows were kept anyway', async () => {
    const t = await bearer();
    monitor.faults.set({ kind: 'drop', times: 1 });
    const lost = row();
    await expect(ingest([lost], { auth: t })).rejects.toThrow('fetch failed');
    monitor.faults.set({ kind: 'drop', afterStore: true, times: 1 });
    const kept = row();
    await expect(ingest([kept], { auth: t })).rejects.toThrow('fetch failed');
    const ids = monitor.rows().map((r) => r.row.EventId);
    expect([ids.includes(lost.EventId), ids.includes(kept.EventId)]).toEqual([false, true]);
  });

  test('slow answers take their time; a down service cuts every connection, tokens too', async () => {
    const t = await bearer();
    monitor.faults.set({ kind: 'slow', delayMs: 600, times: 1 });
    const started = Date.now();
    expect((await ingest([row()], { auth: t })).status).toBe(204);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    monitor.faults.set({ kind: 'down' });
    await expect(token(credentials)).rejects.toThrow('fetch failed');
    await expect(ingest([row()], { auth: t })).rejects.toThrow('fetch failed');
    monitor.faults.set(undefined);
    expect((await ingest([row()], { auth: t })).status).toBe(204);
  });

  test('a poisoned event makes its whole batch a 400', async () => {
    const bad = row();
    monitor.faults.poisonEventIds.add(String(bad.EventId));
    expect(await ingest([row(), bad])).toMatchObject({
      status: 400,
      error: { code: 'InvalidContent', message: expect.stringContaining('Record 1') },
    });
    monitor.faults.poisonEventIds.clear();
  });
});

test('the page lists the rows received', async () => {
  const marked = row(`page-${randomUUID()}`);
  await ingest([marked]);
  const page = await (await fetch(`${url}/`)).text();
  expect(page).toContain(String(marked.EventId));
  expect(page).toContain(dcr);
});
