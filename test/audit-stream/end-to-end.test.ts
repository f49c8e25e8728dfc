import { beforeAll, expect, test, vi } from 'vitest';
import { audit } from '../../lib/audit';
import { GENESIS_HASH, eventHash } from '../../lib/audit-chain/hash';
import { issueStaffToken } from '../../lib/accounts/staff-accounts';
import { saveStreamConfig } from '../../lib/audit-stream/config';
import { AuditEventModel } from '../../lib/models';
import { customerWorkspace } from './support';
import { json } from '../accounts/helpers';
import { useStack } from '../support/stack';

/**
 * The three ways out of Entrada for a tenancy's audit trail, against each other: the stream
 * (into the Logs Ingestion emulator), the pull API and the chain verification (staff API). They
 * must agree on every event, and the workspace's copy must be the outside witness that the hash
 * chain promises: it links up on its own, ends where the verified chain ends, and still holds an
 * event that someone with database access rewrote.
 */
vi.setConfig({ testTimeout: 120_000 });

const STAFF = { kind: 'staff' as const, email: 'siem@entrada.test' };
const stack = useStack({ monitor: true, workers: true, staff: STAFF.email });
let staffToken: string;
beforeAll(async () => {
  ({ token: staffToken } = await issueStaffToken(STAFF.email, 'tests'));
});

const staffApi = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${stack.env.baseUrl}/api/staff${path}`, {
    method,
    headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return await json(res);
};

/** Every page of the pull API, from the start. */
async function pullAll(tenantId: string, token: string): Promise<Record<string, unknown>[]> {
  const rows = [];
  for (let after = '0'; ;) {
    const res = await fetch(`${stack.env.baseUrl}/api/tenancies/${tenantId}/audit-events?after=${after}&limit=7`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = (await res.json()) as { events: Record<string, unknown>[]; nextCursor: string; more: boolean };
    rows.push(...page.events);
    if (!page.more) return rows;
    after = page.nextCursor;
  }
}

test('stream, pull API and chain verification agree; the workspace copy links up and witnesses a rewritten event', async () => {
  const ws = await customerWorkspace(stack.monitor);
  await saveStreamConfig(stack.env, ws.tenantId, ws.config, STAFF);
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    ids.push(
      await audit({
        action: i % 2 ? 'sso.signed-in' : 'saml.rejected',
        outcome: i % 2 ? 'success' : 'denied',
        actor: i % 2 ? { kind: 'user', email: `u${i}@contoso.example` } : { kind: 'anonymous' },
        target: { type: 'user', id: `u${i}` },
        tenantId: ws.tenantId,
        ip: `203.0.113.${i}`,
        userAgent: 'Mozilla/5.0 test',
        details: i % 2 ? {} : { reason: 'audience-mismatch' },
      }),
    );
  }
  const { token } = await staffApi('POST', `/audit-streams/${ws.tenantId}/pull-tokens`, { label: 'Splunk' });

  // Everything the chain holds, the stream's configuration and the token's issue included.
  const verified = await staffApi('GET', `/audit/chains/${ws.tenantId}/verify`);
  expect(verified).toMatchObject({ ok: true, firstBroken: null });
  const copy = () =>
    [...new Map(stack.monitor.emulator.rows(ws.dcr).map((r) => [r.row.EventId, r.row])).values()].sort(
      (a, b) => Number(a.EntradaSeq) - Number(b.EntradaSeq),
    );
  await expect.poll(() => copy().length, { timeout: 60_000 }).toBe(verified.events);
  const streamed = copy();

  // The same rows both ways, every event once.
  expect(streamed.map((r) => r.EventId)).toEqual(expect.arrayContaining(ids));
  expect(await pullAll(ws.tenantId, token)).toEqual(streamed);

  // The copy is a chain on its own (docs/sentinel.md's KQL, in code) ending at the verified head.
  expect(streamed.map((r) => r.EntradaSeq)).toEqual(Array.from({ length: verified.events }, (_, i) => i + 1));
  expect(streamed.map((r) => r.EntradaPrevHash)).toEqual([GENESIS_HASH, ...streamed.slice(0, -1).map((r) => r.EntradaHash)]);
  expect(streamed.at(-1)).toMatchObject({ EntradaSeq: verified.head.seq, EntradaHash: verified.head.hash, EventId: verified.head.eventId });

  // Someone with database access turns a refusal into a success and recomputes its hash.
  const victim = (await AuditEventModel.findById(ids[4]).lean())!;
  const forged = eventHash({ ...victim, outcome: 'success' } as never);
  await AuditEventModel.collection.updateOne({ _id: victim._id }, { $set: { outcome: 'success', hash: forged } });
  const after = await staffApi('GET', `/audit/chains/${ws.tenantId}/verify`);
  expect(after).toMatchObject({
    ok: false,
    firstBroken: { seq: victim.seq! + 1, problem: 'prev-hash-mismatch', expected: forged, received: victim.hash },
  });
  // The workspace still has the event as it was, under the hash the next event links to.
  expect(streamed.find((r) => r.EventId === ids[4])).toMatchObject({
    EntradaSeq: victim.seq,
    EntradaHash: victim.hash,
    EventResult: 'Failure',
    EventResultDetails: 'audience-mismatch',
  });
});
