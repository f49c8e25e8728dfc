import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { audit } from '../../lib/audit';
import { toRow } from '../../lib/audit-stream/columns';
import { readAfter } from '../../lib/audit-chain/read';
import { issueStaffToken } from '../../lib/accounts/staff-accounts';
import { AuditEventModel, AuditPullTokenModel, TenantModel } from '../../lib/models';
import { json } from '../accounts/helpers';
import { useStack } from '../support/stack';

/** The pull API for SIEMs that poll: per-tenancy read-only tokens, stable cursor pages, the stream's columns. */
const STAFF = 'pull@entrada.test';
const stack = useStack({ staff: STAFF });
let staffToken: string;

beforeAll(async () => {
  ({ token: staffToken } = await issueStaffToken(STAFF, 'tests'));
});

async function tenancy(events: number) {
  const tenantId = randomUUID();
  await TenantModel.create({ tenantId, name: 'Pull Org', stage: 'live' });
  const ids: string[] = [];
  for (let i = 0; i < events; i++)
    ids.push(
      await audit({
        action: 'file.view',
        outcome: 'success',
        actor: { kind: 'user', email: 'p@pull.example' },
        target: { type: 'file', id: `f${i}` },
        tenantId,
        details: { name: `plan-${i}.docx` },
      }),
    );
  return { tenantId, ids };
}
const staffApi = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${stack.env.baseUrl}/api/staff/audit-streams${path}`, {
    method,
    headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? undefined : await json(res) };
};
const pull = async (tenantId: string, token: string | undefined, qs = '') => {
  const res = await fetch(`${stack.env.baseUrl}/api/tenancies/${tenantId}/audit-events${qs}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, link: res.headers.get('link'), cookie: res.headers.get('set-cookie'), body: await json(res) };
};

const tenancyEvent = async (tenantId: string) => [await audit({ action: 'auth.signout', outcome: 'success', tenantId })];

describe('paging', () => {
  test('pages follow one another by cursor, in chain order, with the stream’s columns; a poll at the end is empty and keeps its cursor', async () => {
    const { tenantId, ids } = await tenancy(25);
    const { body: issued } = await staffApi('POST', `/${tenantId}/pull-tokens`, { label: 'Splunk prod' });
    expect(issued).toMatchObject({ token: expect.stringMatching(/^eap_/), label: 'Splunk prod', level: 'standard' });

    const pages = [];
    let cursor = '0';
    for (;;) {
      const page = await pull(tenantId, issued.token, `?after=${cursor}&limit=10`);
      expect(page.status).toBe(200);
      pages.push(page);
      cursor = page.body.nextCursor;
      if (!page.body.more) break;
      expect(page.link).toBe(`</api/tenancies/${tenantId}/audit-events?limit=10&after=${cursor}>; rel="next"`);
    }
    expect(pages.map((p) => p.body.events.length)).toEqual([10, 10, 6]); // 25 views + the token's own audit event
    const rows = pages.flatMap((p) => p.body.events);
    expect(rows.filter((r) => r.EventOriginalType === 'file.view').map((r) => r.EventId)).toEqual(ids);
    expect(rows).toEqual((await readAfter(tenantId, 0, 100)).map((e) => JSON.parse(JSON.stringify(toRow(e, 'standard')))));
    expect(JSON.stringify(rows)).not.toContain('plan-');
    expect(pages[0].cookie).toBeNull(); // no session for a bearer call

    const idle = await pull(tenantId, issued.token, `?after=${cursor}`);
    expect(idle.body).toEqual({ events: [], nextCursor: cursor, more: false });
    const [later] = (await tenancyEvent(tenantId)) as string[];
    expect((await pull(tenantId, issued.token, `?after=${cursor}`)).body.events.map((r: { EventId: string }) => r.EventId)).toEqual([
      later,
    ]);
  });

  test('an extended token reads file names', async () => {
    const { tenantId } = await tenancy(2);
    const { body } = await staffApi('POST', `/${tenantId}/pull-tokens`, { label: 'Elastic', level: 'extended' });
    const page = await pull(tenantId, body.token);
    expect(
      page.body.events
        .filter((r: { TargetFileName?: string }) => r.TargetFileName)
        .map((r: { TargetFileName: string }) => r.TargetFileName),
    ).toEqual(['plan-0.docx', 'plan-1.docx']);
  });

  test.each([
    ['?after=-1', 'after: expected a cursor'],
    ['?after=abc', 'after: expected a cursor'],
    ['?limit=0', 'limit: expected 1 to 1000'],
    ['?limit=5000', 'limit: expected 1 to 1000'],
  ])('%s is a 400 that says what was expected', async (qs, message) => {
    const { tenantId } = await tenancy(1);
    const { body } = await staffApi('POST', `/${tenantId}/pull-tokens`, { label: 'x' });
    const res = await pull(tenantId, body.token, qs);
    expect([res.status, res.body.error.message]).toEqual([400, expect.stringContaining(message)]);
  });
});

describe('tokens', () => {
  test('only the hash is stored; the list never shows a token', async () => {
    const { tenantId } = await tenancy(0);
    const { body } = await staffApi('POST', `/${tenantId}/pull-tokens`, { label: 'Sentinel CCF' });
    const stored = (await AuditPullTokenModel.findById(body.id).lean())!;
    expect(JSON.stringify(stored)).not.toContain(body.token);
    const list = await staffApi('GET', `/${tenantId}/pull-tokens`);
    expect(list.body.tokens).toEqual([expect.objectContaining({ id: body.id, label: 'Sentinel CCF', createdBy: STAFF })]);
    expect(JSON.stringify(list.body)).not.toContain(body.token);
    expect(await AuditEventModel.countDocuments({ tenantId, action: 'audit-stream.pull-token.issued' })).toBe(1);
  });

  test('no token, an unknown one, another tenancy’s or a revoked one read nothing', async () => {
    const [a, b] = [await tenancy(2), await tenancy(2)];
    const tokenA = (await staffApi('POST', `/${a.tenantId}/pull-tokens`, { label: 'a' })).body;
    expect((await pull(a.tenantId, undefined)).status).toBe(401);
    expect((await pull(a.tenantId, 'eap_not-a-token')).status).toBe(401);
    expect(await pull(b.tenantId, tokenA.token)).toMatchObject({
      status: 403,
      body: { error: { message: 'This token reads another tenancy.' } },
    });
    expect((await pull(a.tenantId, tokenA.token)).status).toBe(200);
    expect((await staffApi('DELETE', `/${a.tenantId}/pull-tokens/${tokenA.id}`)).status).toBe(204);
    expect((await pull(a.tenantId, tokenA.token)).status).toBe(401);
    expect((await staffApi('DELETE', `/${a.tenantId}/pull-tokens/${tokenA.id}`)).status).toBe(404);
  });

  test('on the console page: issued once, shown once, revoked with a button', async () => {
    const { tenantId } = await tenancy(1);
    const staff = stack.staff;
    await staff.get(`/staff/audit-streams/${tenantId}`);
    await staff.postForm(`/staff/audit-streams/${tenantId}/pull-tokens`, { label: 'QRadar', level: 'standard' });
    const token = /<code id="issued-token">([^<]+)<\/code>/.exec(staff.lastHtml)?.[1];
    expect(token).toMatch(/^eap_/);
    expect((await pull(tenantId, token)).status).toBe(200);
    await staff.get(`/staff/audit-streams/${tenantId}`);
    expect(staff.lastHtml).not.toContain(token);
    const id = /pull-tokens\/([0-9a-f]{24})\/revoke/.exec(staff.lastHtml)![1];
    await staff.postForm(`/staff/audit-streams/${tenantId}/pull-tokens/${id}/revoke`, {});
    expect(staff.lastHtml).toContain('The token was revoked');
    expect((await pull(tenantId, token)).status).toBe(401);
  });
});
