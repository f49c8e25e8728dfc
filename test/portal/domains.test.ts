import { beforeAll, expect, test } from 'vitest';
import { AuditEventModel, DomainProofModel, SsoDomainModel, TenantModel } from '../../lib/models';
import type { HttpClient } from '../support/http-client';
import { createUser, signedIn } from '../support/people';
import { useStack } from '../support/stack';

/**
 * The portal's Domains page: a tenancy admin proposes a domain, sees the TXT record to publish,
 * asks for a check now, and the staff console's workflow verifies it through real DNS; each
 * step audited with the admin as actor. Refusals show on the page and change nothing.
 */
const stack = useStack({
  entra: true,
  workers: true,
  staff: 'sam@entrada.test',
  config: { DOMAIN_RECHECK_INTERVAL: '1h', DOMAIN_PROOF_EXPIRY: '1d', DNS_TIMEOUT: '500ms' },
});
const A = 'aaaaaaaa-0000-4000-8000-0000000000a1';
const B = 'bbbbbbbb-0000-4000-8000-0000000000b1';
let admin: HttpClient;

beforeAll(async () => {
  await TenantModel.create([
    { tenantId: A, name: 'Alpine Ski House' },
    { tenantId: B, name: 'Bellows College', domains: ['bellows.test'] },
  ]);
  await SsoDomainModel.create({ domain: 'bellows.test', tenantId: B });
  await createUser({ email: 'admin@alpine.test', tenantAdminOf: [A] });
  admin = await signedIn(stack.env.baseUrl, 'admin@alpine.test');
});

const proof = () => DomainProofModel.findOne({ tenantId: A, domain: 'alpine.test' }).lean();

test('propose, see the TXT record, publish it, check now: verified, audited as the admin', { timeout: 30_000 }, async () => {
  await admin.get(`/portal/${A}/domains`);
  expect(admin.lastHtml).toContain('No domain proposed yet.');
  expect(admin.lastHtml).toMatch(/<nav aria-label="Admin portal"[\s\S]*?aria-current="page" href="\/portal\/[^"]+\/domains"/);
  const res = await admin.postForm(`/portal/${A}/domains`, { domain: 'Alpine.test' });
  expect(res.status).toBe(200);
  const value = (await proof())!.token;
  expect(admin.lastHtml).toMatch(
    new RegExp(`<tr data-domain="alpine.test" data-status="pending">[\\s\\S]*?<code>entrada-verification=${value}</code>`),
  );
  // The first check (at once) finds nothing; the record is published; "check now" verifies it.
  await expect.poll(async () => (await proof())?.lastCheck?.outcome, { timeout: 10_000 }).toBe('nxdomain');
  stack.entra.emulator.dns.set('alpine.test', { txt: [[`entrada-verification=${value}`]] });
  expect(admin.lastHtml).toMatch(/action="\/portal\/[^"]+\/domains\/alpine.test\/check"/);
  expect(admin.lastHtml).not.toContain('/override');
  expect((await admin.postForm(`/portal/${A}/domains/alpine.test/check`, {})).status).toBe(200);
  await expect.poll(async () => (await proof())?.status, { timeout: 10_000 }).toBe('verified');

  const events = await AuditEventModel.find({ tenantId: A, 'target.id': 'alpine.test', 'actor.email': 'admin@alpine.test' }).lean();
  expect(events.map((e) => [e.action, e.actor?.kind]).sort()).toEqual([
    ['domain.proof-check-requested', 'user'],
    ['domain.proof-proposed', 'user'],
  ]);
});

test("a malformed domain or another tenancy's is refused on the page, and no proof is made", async () => {
  await admin.get(`/portal/${A}/domains`);
  expect((await admin.postForm(`/portal/${A}/domains`, { domain: 'not a domain' })).status).toBe(400);
  expect(admin.lastHtml).toMatch(/class="notice error"/);
  expect((await admin.postForm(`/portal/${A}/domains`, { domain: 'bellows.test' })).status).toBe(409);
  expect(admin.lastHtml).toContain('already proven or claimed by another tenancy');
  expect(await DomainProofModel.countDocuments({ tenantId: A, domain: { $ne: 'alpine.test' } })).toBe(0);
});

test("another tenancy's domains page and actions are not found", async () => {
  expect((await admin.get(`/portal/${B}/domains`)).status).toBe(404);
  expect((await admin.postForm(`/portal/${B}/domains`, { domain: 'sneaky.test' })).status).toBe(404);
  expect(await DomainProofModel.countDocuments({ tenantId: B })).toBe(0);
});
