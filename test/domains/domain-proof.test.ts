import { beforeAll, expect, test } from 'vitest';
import { AuditEventModel, DomainProofModel, TenantModel } from '../../lib/models';
import { useStack } from '../support/stack';

/**
 * Domain proofs end to end: the staff API proposes, the real worker's workflow checks with
 * Node's resolver against the emulator's DNS server, re-checks on its schedule, and settles.
 */

const stack = useStack({
  entra: true,
  workers: true,
  staff: 'sam@entrada.test',
  config: { DOMAIN_RECHECK_INTERVAL: '1s', DOMAIN_PROOF_EXPIRY: '20s', DNS_TIMEOUT: '500ms' },
});
const A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const B = 'bbbbbbbb-0000-4000-8000-00000000000b';

beforeAll(async () => {
  await TenantModel.create([
    { tenantId: A, name: 'Alpha' },
    { tenantId: B, name: 'Beta' },
  ]);
});

const propose = (tid: string, domain: string) => stack.staff.api('POST', `/api/staff/tenants/${tid}/domain-proofs`, { domain });
const proof = (tid: string, domain: string) => DomainProofModel.findOne({ tenantId: tid, domain }).lean();
const settled = (tid: string, domain: string, what: (p: NonNullable<Awaited<ReturnType<typeof proof>>>) => boolean, timeout = 15_000) =>
  expect
    .poll(
      async () => {
        const p = await proof(tid, domain);
        return p && what(p);
      },
      { timeout, interval: 200 },
    )
    .toBe(true);

test(
  'a proposed domain is checked at once, re-checked on schedule through DNS failures, and verified by a split TXT record',
  { timeout: 40_000 },
  async () => {
    const res = await propose(A, 'alpha.test');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.record.value).toMatch(/^entrada-verification=[\w-]{24}$/);
    await settled(A, 'alpha.test', (p) => p.lastCheck?.outcome === 'nxdomain');

    stack.entra.emulator.dns.set('alpha.test', { fault: 'servfail' });
    await settled(A, 'alpha.test', (p) => p.lastCheck?.outcome === 'servfail');
    expect((await proof(A, 'alpha.test'))!.status).toBe('pending');

    const value: string = res.body.record.value;
    stack.entra.emulator.dns.set('alpha.test', { txt: [['v=spf1 -all'], [value.slice(0, 10), value.slice(10)]] });
    await settled(A, 'alpha.test', (p) => p.status === 'verified');
    const events = await AuditEventModel.find({ tenantId: A, 'target.id': 'alpha.test' }).lean();
    expect(events.map((e) => e.action).sort()).toEqual(['domain.proof-proposed', 'domain.proof-verified']);
  },
);

test('a domain another tenancy verified is refused, at proposal and when a pending rival proves it too', { timeout: 40_000 }, async () => {
  const taken = await propose(B, 'alpha.test');
  expect(taken.status).toBe(409);
  expect(taken.body.error.message ?? taken.body.error).toMatch(/already proven or claimed by another tenancy/);

  // Both pending; both records published; the first to be checked wins, the other is refused.
  const a = await propose(A, 'race.test');
  const b = await propose(B, 'race.test');
  expect([a.status, b.status]).toEqual([201, 201]);
  await settled(A, 'race.test', (p) => p.lastCheck?.outcome === 'nxdomain');
  await settled(B, 'race.test', (p) => p.lastCheck?.outcome === 'nxdomain');
  stack.entra.emulator.dns.set('race.test', { txt: [[a.body.record.value], [b.body.record.value]] });
  await settled(A, 'race.test', (p) => p.status !== 'pending');
  await settled(B, 'race.test', (p) => p.status !== 'pending');
  const statuses = [(await proof(A, 'race.test'))!.status, (await proof(B, 'race.test'))!.status].sort();
  expect(statuses).toEqual(['refused', 'verified']);
});

test('staff override with a reason (a short one is refused), audited with the staff member', { timeout: 30_000 }, async () => {
  expect((await propose(A, 'manual.test')).status).toBe(201);
  const short = await stack.staff.api('POST', `/api/staff/tenants/${A}/domain-proofs/manual.test/override`, { reason: 'ok' });
  expect(short.status).toBe(400);
  const ok = await stack.staff.api('POST', `/api/staff/tenants/${A}/domain-proofs/manual.test/override`, {
    reason: 'Registrar shows Alpha as owner; their DNS host is down',
  });
  expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  expect(ok.body.status).toBe('overridden');
  const event = await AuditEventModel.findOne({ action: 'domain.proof-overridden', 'target.id': 'manual.test' }).lean();
  expect(event?.actor?.email).toBe('sam@entrada.test');
});

test('a proof that is never published expires, and can be proposed again', { timeout: 40_000 }, async () => {
  expect((await propose(B, 'never.test')).status).toBe(201);
  await settled(B, 'never.test', (p) => p.status === 'expired', 30_000);
  expect((await proof(B, 'never.test'))!.checks).toBeGreaterThan(3);
  const again = await propose(B, 'never.test');
  expect(again.body.status).toBe('pending');
});
