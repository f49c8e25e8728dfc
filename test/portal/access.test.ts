import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { AuditEventModel, AuditStreamModel, DomainProofModel, MigrationCampaignModel, TenantModel, UserModel } from '../../lib/models';
import { HttpClient } from '../support/http-client';
import { createUser, signedIn } from '../support/people';
import { useStack } from '../support/stack';

/**
 * Who reaches which tenancy's portal, every cell asserted: a tenancy admin sees their own
 * tenancy's portal pages and nothing of another's (404, as if it did not exist), a plain user
 * of the tenancy sees none, staff see all, and an anonymous visitor is sent to sign in. The
 * invitations list is staff's only. Every portal form refuses another tenancy's admin and a
 * plain user the same way, and changes nothing.
 */
const stack = useStack({ staff: 'sam@entrada.test' });
const A = randomUUID();
const B = randomUUID();
const NAMES = { A: 'Alpine Ski House', B: 'Bellows College' } as const;

const WHO = ['adminA', 'adminB', 'plainA', 'staff', 'anonymous'] as const;
type Who = (typeof WHO)[number];
const clients = {} as Record<Who, HttpClient>;
/** An SSO user of each tenancy (the Users page's per-user routes). */
const member = {} as Record<'A' | 'B', string>;

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
  member.A = String((await createUser({ email: 'sso@alpine.test', kind: 'sso', tenantId: A }))._id);
  member.B = String((await createUser({ email: 'sso@bellows.test', kind: 'sso', tenantId: B }))._id);
  clients.adminA = await signedIn(stack.env.baseUrl, 'admin@alpine.test');
  clients.adminB = await signedIn(stack.env.baseUrl, 'admin@bellows.test');
  clients.plainA = await signedIn(stack.env.baseUrl, 'user@alpine.test');
  clients.staff = stack.staff;
  clients.anonymous = new HttpClient(stack.env.baseUrl);
});

/** Expected status per route and person: 200 shown, 404 hidden, 303 to sign-in, 401/403 refused by the API. */
const tidOf = (t: 'A' | 'B') => (t === 'A' ? A : B);
const PORTAL_CELLS = {
  adminA: { A: 200, B: 404 },
  adminB: { A: 404, B: 200 },
  plainA: { A: 404, B: 404 },
  staff: { A: 200, B: 200 },
  anonymous: { A: 303, B: 303 },
};
const portalPage = (route: string, path: (t: 'A' | 'B') => string) => ({ route, path, api: false, expect: PORTAL_CELLS });
const ROUTES: { route: string; path: (t: 'A' | 'B') => string; api: boolean; expect: Record<Who, Record<'A' | 'B', number>> }[] = [
  portalPage('portal page', (t) => `/portal/${tidOf(t)}`),
  portalPage('domains', (t) => `/portal/${tidOf(t)}/domains`),
  portalPage('access', (t) => `/portal/${tidOf(t)}/access`),
  portalPage('users', (t) => `/portal/${tidOf(t)}/users`),
  portalPage("a user's deletion form", (t) => `/portal/${tidOf(t)}/users/${member[t]}/delete`),
  portalPage('logging', (t) => `/portal/${tidOf(t)}/logging`),
  {
    route: 'invitation list (staff API)',
    path: (t) => `/api/staff/tenants/${tidOf(t)}/portal-invites`,
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
  test.each(cells)('$route of $t, as $who: $status', async ({ route, path, api, who, t, status }) => {
    if (api) {
      const res = await clients[who].api('GET', path(t));
      expect(res.status).toBe(status);
      if (status === 200) expect(res.body).toEqual({ invites: [] });
      return;
    }
    const res = await clients[who].get(path(t), { redirect: 'manual' });
    expect(res.status).toBe(status);
    const body = await res.text();
    if (status === 303) expect(res.headers.get('location')).toBe(`/signin?next=${encodeURIComponent(path(t))}`);
    // A page that is shown is this tenancy's, under the portal's navigation; a hidden one says nothing about it.
    if (status === 200) {
      expect(body).toContain(`<nav aria-label="Admin portal"`);
      expect(body).toContain(`href="/portal/${tidOf(t)}/users"`);
      if (route === 'portal page') expect(body).toContain(`<h1>${NAMES[t]}`);
    } else expect(body).not.toContain(NAMES[t]);
  });

  /** Every portal form, posted to tenancy A by someone who may not see it. */
  const POSTS: { form: string; path: () => string; fields: Record<string, string> }[] = [
    { form: 'propose a domain', path: () => `/portal/${A}/domains`, fields: { domain: 'sneaky.test' } },
    { form: 'check a domain now', path: () => `/portal/${A}/domains/alpine.test/check`, fields: {} },
    {
      form: 'save access rules',
      path: () => `/portal/${A}/access`,
      fields: { allowedGroups: 'x', allowedRoles: '', adminGroups: '', adminRoles: 'Sneaky' },
    },
    {
      form: 'delete a user',
      path: () => `/portal/${A}/users/${member.A}/delete`,
      fields: { confirmEmail: 'sso@alpine.test', reason: 'sneaky' },
    },
    { form: 'start a migration campaign', path: () => `/portal/${A}/campaigns`, fields: { domain: 'alpine.test', schedule: '0' } },
    { form: 'pause a migration campaign', path: () => `/portal/${A}/campaigns/alpine.test/pause`, fields: {} },
    { form: 'save the stream', path: () => `/portal/${A}/logging`, fields: { endpoint: 'https://x.example', clientSecret: 's' } },
    { form: 'send a test event', path: () => `/portal/${A}/logging/test`, fields: {} },
    { form: 'issue a pull token', path: () => `/portal/${A}/logging/pull-tokens`, fields: { label: 'sneaky' } },
  ];
  test.each(POSTS.flatMap((p) => (['adminB', 'plainA'] as const).map((who) => ({ ...p, who }))))(
    '$form in tenancy A, as $who: 404 and nothing changes',
    async ({ path, fields, who }) => {
      const res = await clients[who].postForm(path(), fields, { redirect: 'manual' });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain(NAMES.A);
      const tenant = (await TenantModel.findOne({ tenantId: A }).lean())!;
      expect([tenant.allowedGroups, tenant.adminRoles]).toEqual([[], []]);
      expect((await UserModel.findById(member.A).lean())!.status).toBe('active');
      expect(await AuditStreamModel.countDocuments({ tenantId: A })).toBe(0);
      expect(await DomainProofModel.countDocuments({ tenantId: A, domain: 'sneaky.test' })).toBe(0);
      expect(
        // (their sign-ins aside)
        await AuditEventModel.countDocuments({ tenantId: A, action: /^(domain|sso\.policy|user\.deletion|audit-stream|campaign)\./ }),
      ).toBe(0);
    },
  );

  test.each(POSTS)("$form without the page's CSRF token, as tenancy A's own admin: 403 and nothing changes", async ({ path, fields }) => {
    const res = await clients.adminA.postForm(path(), { ...fields, _csrf: 'forged-by-another-site' }, { redirect: 'manual' });
    expect(res.status).toBe(403);
    expect((await TenantModel.findOne({ tenantId: A }).lean())!.adminRoles).toEqual([]);
    expect((await UserModel.findById(member.A).lean())!.status).toBe('active');
    expect(await AuditStreamModel.countDocuments({ tenantId: A })).toBe(0);
    expect(await DomainProofModel.countDocuments({ tenantId: A, domain: 'sneaky.test' })).toBe(0);
    expect(await AuditEventModel.countDocuments({ tenantId: A, action: /^campaign\./ })).toBe(0);
  });

  test("the portal lists the tenancy's domain proofs (read-only) and campaign progress, and nothing of another tenancy's", async () => {
    const res = await clients.adminA.get(`/portal/${A}`);
    expect(res.status).toBe(200);
    const page = clients.adminA.lastHtml;
    expect(page).toMatch(
      /<tr data-domain="alpine.test" data-status="pending">[\s\S]*?<code>entrada-verification=token-alpine.test<\/code>/,
    );
    expect(page).toMatch(/<tr data-domain="alpine.test" data-status="nudging">[\s\S]*?<td class="progress">3 of 10<\/td>/);
    expect(page).not.toContain('bellows.test');
    // The staff console's actions stay there; the campaign's post to the portal's own routes.
    expect(page).not.toMatch(/action="\/staff\//);
    expect(page).not.toContain('/domain-proofs/');
    expect(page).toContain(`action="/portal/${A}/campaigns/alpine.test/pause"`);
    await clients.staff.get(`/staff/tenants/${A}`);
    expect(clients.staff.lastHtml).toMatch(/action="\/staff\/tenants\/[^"]+\/domain-proofs\/alpine.test\/check"/);
  });
});
