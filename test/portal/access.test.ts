import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { DomainProofModel, MigrationCampaignModel, TenantModel } from '../../lib/models';
import { HttpClient } from '../support/http-client';
import { createUser, signedIn } from '../support/people';
import { useStack } from '../support/stack';

/**
 * Who reaches which tenancy's portal, every cell asserted: a tenancy admin sees their own
 * tenancy's portal and nothing of another's (404, as if it did not exist), a plain user of
 * the tenancy sees none, staff see all, and an anonymous visitor is sent to sign in. The
 * invitations list is staff's only.
 */
const stack = useStack({ staff: 'sam@entrada.test' });
const A = randomUUID();
const B = randomUUID();
const NAMES = { A: 'Alpine Ski House', B: 'Bellows College' } as const;

const WHO = ['adminA', 'adminB', 'plainA', 'staff', 'anonymous'] as const;
type Who = (typeof WHO)[number];
const clients = {} as Record<Who, HttpClient>;

beforeAll(async () => {
  await TenantModel.create({ tenantId: A, name: NAMES.A, stage: 'testing' });
  await TenantModel.create({ tenantId: B, name: NAMES.B, stage: 'testing' });
  for (const [tid, domain, migrated] of [
    [A, 'alpine.test', 3],
    [B, 'bellows.test', 5],
  ] as const) {
    const expiresAt = new Date(Date.now() + 86_400_000);
    await DomainProofModel.create({ tenantId: tid, domain, token: `token-${domain}`, proposedBy: 'sam@entrada.test', expiresAt });
    await MigrationCampaignModel.create({ tenantId: tid, domain, status: 'nudging', progress: { migrated, remaining: 7 } });
  }
  await createUser({ email: 'admin@alpine.test', tenantAdminOf: [A] });
  await createUser({ email: 'admin@bellows.test', tenantAdminOf: [B] });
  await createUser({ email: 'user@alpine.test', tenantId: A });
  clients.adminA = await signedIn(stack.env.baseUrl, 'admin@alpine.test');
  clients.adminB = await signedIn(stack.env.baseUrl, 'admin@bellows.test');
  clients.plainA = await signedIn(stack.env.baseUrl, 'user@alpine.test');
  clients.staff = stack.staff;
  clients.anonymous = new HttpClient(stack.env.baseUrl);
});

/** Expected status per route and person: 200 shown, 404 hidden, 303 to sign-in, 401/403 refused by the API. */
const ROUTES: { route: string; path: (t: string) => string; api: boolean; expect: Record<Who, Record<'A' | 'B', number>> }[] = [
  {
    route: 'portal page',
    path: (t) => `/portal/${t}`,
    api: false,
    expect: {
      adminA: { A: 200, B: 404 },
      adminB: { A: 404, B: 200 },
      plainA: { A: 404, B: 404 },
      staff: { A: 200, B: 200 },
      anonymous: { A: 303, B: 303 },
    },
  },
  {
    route: 'invitation list (staff API)',
    path: (t) => `/api/staff/tenants/${t}/portal-invites`,
    api: true,
    expect: {
      adminA: { A: 403, B: 403 },
      adminB: { A: 403, B: 403 },
      plainA: { A: 403, B: 403 },
      staff: { A: 200, B: 200 },
      anonymous: { A: 401, B: 401 },
    },
  },
];

const cells = ROUTES.flatMap((r) => WHO.flatMap((who) => (['A', 'B'] as const).map((t) => ({ ...r, who, t, status: r.expect[who][t] }))));

describe('portal access', () => {
  test.each(cells)('$route of $t, as $who: $status', async ({ path, api, who, t, status }) => {
    const tid = t === 'A' ? A : B;
    if (api) {
      const res = await clients[who].api('GET', path(tid));
      expect(res.status).toBe(status);
      if (status === 200) expect(res.body).toEqual({ invites: [] });
      return;
    }
    const res = await clients[who].get(path(tid), { redirect: 'manual' });
    expect(res.status).toBe(status);
    const body = await res.text();
    if (status === 303) expect(res.headers.get('location')).toBe(`/signin?next=${encodeURIComponent(path(tid))}`);
    // Only a page that is shown names the tenancy; a hidden one says nothing about it.
    if (status === 200) expect(body).toContain(`<h1>${NAMES[t]}`);
    else expect(body).not.toContain(NAMES[t]);
  });

  test("the portal lists the tenancy's domain proofs and campaign progress, read-only, and nothing of another tenancy's", async () => {
    const res = await clients.adminA.get(`/portal/${A}`);
    expect(res.status).toBe(200);
    const page = clients.adminA.lastHtml;
    expect(page).toMatch(
      /<tr data-domain="alpine.test" data-status="pending">[\s\S]*?<code>entrada-verification=token-alpine.test<\/code>/,
    );
    expect(page).toMatch(/<tr data-domain="alpine.test" data-status="nudging">[\s\S]*?<td class="progress">3 of 10<\/td>/);
    expect(page).not.toContain('bellows.test');
    // The staff console's actions stay there: no forms on the portal's cards.
    expect(page).not.toMatch(/action="\/staff\//);
    await clients.staff.get(`/staff/tenants/${A}`);
    expect(clients.staff.lastHtml).toMatch(/action="\/staff\/tenants\/[^"]+\/domain-proofs\/alpine.test\/check"/);
  });
});
