import { execFile, spawn } from 'node:child_process';
import readline from 'node:readline';
import { randomUUID } from 'node:crypto';
import { describe, expect, test, vi } from 'vitest';
import { audit } from '../../lib/audit';
import { verifyChain } from '../../lib/audit-chain/verify';
import { issueStaffToken } from '../../lib/accounts/staff-accounts';
import { readAfter } from '../../lib/audit-chain/read';
import { walkForward } from '../../lib/audit-chain/heads';
import { commandsDuring } from '../support/db-commands';
import { AuditEventModel, AuditPageModel } from '../../lib/models';
import { createUser } from '../support/people';
import { useStack } from '../support/stack';

// Child processes are `npx tsx` starts: seconds each on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

const stack = useStack();

function run(script: string, args: string[], extraEnv: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', script, ...args],
      { env: { ...process.env, ...stack.env.envVars, ...extraEnv }, timeout: 150_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/** An appender process (appender.ts), connected and waiting; `go()` starts it and resolves with the IDs it appended. */
async function appender(extraEnv: Record<string, string>): Promise<{ go(): Promise<string[]> }> {
  const child = spawn('npx', ['tsx', 'test/audit/appender.ts'], {
    env: { ...process.env, ...stack.env.envVars, ...extraEnv },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const out: string[] = [];
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  await new Promise<void>((ready, failed) => {
    lines.on('line', (l) => (l === 'ready' ? ready() : out.push(l)));
    void exited.then((code) => failed(new Error(`appender exited (${code}) before it was ready`)));
  });
  return {
    async go() {
      child.stdin.end('go\n');
      expect(await exited).toBe(0);
      return out;
    },
  };
}

const appendMany = async (tenantId: string, n: number) => {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await audit({ action: 'test.append', outcome: 'success', tenantId, details: { i } }));
  return ids;
};
// In chain order: a table's physical order (what an unsorted find returns) is not insertion order.
const chainOf = async (tenantId: string) => (await AuditEventModel.find({ tenantId }).lean()).sort((x, y) => x.seq! - y.seq!);

describe('appending', () => {
  test('three processes and this one appending to one tenancy at once make one intact chain: every event once, no position twice', async () => {
    const tenantId = randomUUID();
    const others = await Promise.all([1, 2, 3].map(() => appender({ TENANT_ID: tenantId, COUNT: '100', CONCURRENCY: '2' })));
    // Here too: two requests at a time, each appending when the last one is stored.
    const lane = async () => appendMany(tenantId, 50);
    const [here, ...children] = await Promise.all([Promise.all([lane(), lane()]), ...others.map((o) => o.go())]);
    const appended = [...here.flat(), ...children.flat()];
    expect(appended).toHaveLength(400);

    const events = await chainOf(tenantId);
    expect(events.map((e) => String(e._id)).sort()).toEqual([...appended].sort());
    expect(events.map((e) => e.seq).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    // They really appended at the same time: every process's events span overlapping times.
    const times = new Map<string, number[]>();
    for (const e of events) {
      const by = String((e.details as { pid?: number }).pid ?? 'here');
      times.set(by, [...(times.get(by) ?? []), +e.at]);
    }
    const spans = [...times.values()].map((t) => [Math.min(...t), Math.max(...t)]);
    expect(spans).toHaveLength(4);
    expect(Math.max(...spans.map(([from]) => from))).toBeLessThan(Math.min(...spans.map(([, to]) => to)));

    expect(await verifyChain(tenantId)).toMatchObject({ ok: true, events: 400, firstBroken: null, head: { seq: 400 } });
    // Read as streams read it (by pages, which readers complete), the chain is the same; the
    // pages then hold exactly the events, whichever processes wrote them.
    expect(JSON.parse(JSON.stringify(await readAfter(tenantId, 0, 400)))).toEqual(JSON.parse(JSON.stringify(events)));
    await expect.poll(() => AuditPageModel.countDocuments({ _id: { $regex: `^${tenantId}:` } })).toBe(4);
    expect(await verifyChain(tenantId)).toMatchObject({ ok: true, events: 400 });
  });

  test('an appender that lost its position finds the new end in few look-ups: two past one event, five past six', async () => {
    const tenantId = randomUUID();
    await appendMany(tenantId, 8);
    const events = await chainOf(tenantId);
    const at = (seq: number) => ({ seq, hash: events[seq - 1].hash! });
    for (const [from, behind, lookUps] of [
      [7, 1, 2],
      [2, 6, 5],
    ]) {
      let walked: Awaited<ReturnType<typeof walkForward>> | undefined;
      const commands = await commandsDuring(async () => (walked = await walkForward(tenantId, at(from), { nextTaken: true })));
      expect(walked).toEqual({ head: at(8), steps: behind });
      expect(commands).toEqual(Array(lookUps).fill('find auditevents'));
    }
    // Without the hint that the next position is taken, the same walk still ends there.
    expect(await walkForward(tenantId, at(2))).toEqual({ head: at(8), steps: 6 });
  });

  test('each tenancy has its own chain; events without a tenancy are on the platform chain', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await appendMany(a, 3);
    await appendMany(b, 2);
    const platformBefore = (await verifyChain('platform')).events;
    await audit({ action: 'test.platform', outcome: 'success' });
    expect((await chainOf(a)).map((e) => [e.seq, e.link])).toEqual([1, 2, 3].map((s) => [s, `${a}:${s}`]));
    expect((await verifyChain(b)).events).toBe(2);
    expect(await verifyChain('platform')).toMatchObject({ ok: true, events: platformBefore + 1 });
    // An upper-case tenant ID is the same tenancy.
    await audit({ action: 'test.append', outcome: 'success', tenantId: b.toUpperCase() });
    expect(await verifyChain(b)).toMatchObject({ ok: true, events: 3 });
  });
});

describe('tampering is reported at the first broken link', () => {
  const events = AuditEventModel.collection;

  test('a changed event: its hash no longer matches', async () => {
    const tenantId = randomUUID();
    const ids = await appendMany(tenantId, 5);
    const victim = await AuditEventModel.findById(ids[2]).lean();
    await events.updateOne({ _id: victim!._id }, { $set: { 'details.i': 99 } });
    expect(await verifyChain(tenantId)).toMatchObject({
      ok: false,
      events: 2,
      firstBroken: { seq: 3, eventId: ids[2], problem: 'hash-mismatch', received: victim!.hash },
    });
  });

  test('a changed event whose hash was recomputed: the next event no longer links to it', async () => {
    const tenantId = randomUUID();
    const ids = await appendMany(tenantId, 5);
    const { eventHash } = await import('../../lib/audit-chain/hash');
    const victim = (await AuditEventModel.findById(ids[1]).lean())!;
    const forged = { ...victim, outcome: 'failure' };
    await events.updateOne({ _id: victim._id }, { $set: { outcome: 'failure', hash: eventHash(forged as never) } });
    expect((await verifyChain(tenantId)).firstBroken).toMatchObject({
      seq: 3,
      eventId: ids[2],
      problem: 'prev-hash-mismatch',
      expected: eventHash(forged as never),
    });
  });

  test('a removed event, and a chain cut short before its last saved head', async () => {
    const tenantId = randomUUID();
    const ids = await appendMany(tenantId, 40);
    await events.deleteOne({ _id: (await AuditEventModel.findById(ids[9]).lean())!._id });
    expect(await verifyChain(tenantId)).toMatchObject({ ok: false, events: 9, firstBroken: { seq: 10, problem: 'missing' } });

    const other = randomUUID();
    const more = await appendMany(other, 40); // the head hint is saved at seq 32
    await events.deleteMany({ tenantId: other, seq: { $gte: 30 } });
    expect(more).toHaveLength(40);
    expect(await verifyChain(other)).toMatchObject({
      ok: false,
      events: 29,
      firstBroken: { seq: 30, problem: 'missing', expected: 'events up to 32' },
    });
  });
});

describe('verification for staff', () => {
  test('the staff API returns the verification; the CLI prints it and fails on a broken chain', async () => {
    const tenantId = randomUUID();
    const ids = await appendMany(tenantId, 3);
    await createUser({ email: 'auditor@entrada.test', isStaff: true });
    const { token } = await issueStaffToken('auditor@entrada.test', 'tests');
    const api = await fetch(`${stack.env.baseUrl}/api/staff/audit/chains/${tenantId.toUpperCase()}/verify`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await api.json()).toMatchObject({ chain: tenantId, ok: true, events: 3, head: { seq: 3, eventId: ids[2] } });

    const ok = await run('cli/main.ts', ['audit:verify', tenantId], {});
    expect([ok.code, ok.stdout]).toEqual([
      0,
      expect.stringContaining(`ok   chain ${tenantId}: 3 events intact; last event seq 3, ${ids[2]}`),
    ]);

    await AuditEventModel.collection.updateOne({ tenantId, seq: 2 }, { $set: { action: 'test.rewritten' } });
    const broken = await run('cli/main.ts', ['audit:verify', tenantId], {});
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN chain ${tenantId}: 1 events intact before seq 2`);
    expect(broken.stdout).toContain(`seq 2 (event ${ids[1]}): hash-mismatch`);
    expect(broken.stderr).toContain(`audit chain ${tenantId} is broken at seq 2`);
  });
});
