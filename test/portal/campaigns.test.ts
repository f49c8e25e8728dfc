import { beforeAll, expect, test } from 'vitest';
import { AuditEventModel, MigrationCampaignModel, TenantModel } from '../../lib/models';
import type { HttpClient } from '../support/http-client';
import { createUser, signedIn } from '../support/people';
import { useStack } from '../support/stack';

/**
 * Migration campaigns from the portal's Progress page: the tenancy admin starts one for a
 * nominated domain (schedule and a deadline in days from now), its standard accounts get their
 * nudge, the admin pauses it, each step audited with the admin in person as actor; a bad
 * schedule or deadline is refused on the page and starts nothing.
 */
const stack = useStack({ workers: true, staff: 'sam@entrada.test' });
const A = 'aaaaaaaa-0000-4000-8000-0000000000c1';
const DOMAIN = 'alpine-campaign.test';
const STANDARD = ['ann', 'bob'].map((n) => `${n}@${DOMAIN}`);
let admin: HttpClient;

beforeAll(async () => {
  await TenantModel.create({ tenantId: A, name: 'Alpine Ski House', stage: 'live', domains: [DOMAIN] });
  for (const email of STANDARD) await createUser({ email });
  await createUser({ email: 'admin@alpine-it.test', tenantAdminOf: [A] });
  admin = await signedIn(stack.env.baseUrl, 'admin@alpine-it.test');
});

const campaign = () => MigrationCampaignModel.findOne({ tenantId: A, domain: DOMAIN }).lean();
const campaignEvents = () =>
  AuditEventModel.find({ tenantId: A, action: /^campaign\./ })
    .sort({ _id: 1 })
    .lean();

test('a bad schedule, or a deadline before the last round, is refused on the page and starts nothing', async () => {
  await admin.get(`/portal/${A}`);
  const refused = await admin.postForm(`/portal/${A}/campaigns`, { domain: DOMAIN, schedule: 'soon', deadlineIn: '' });
  expect(refused.status).toBe(400);
  expect(admin.lastHtml).toContain('The schedule is a list of up to 10 offsets');
  await admin.postForm(`/portal/${A}/campaigns`, { domain: DOMAIN, schedule: '0, 7', deadlineIn: '3' });
  expect(admin.lastHtml).toContain('The deadline must be after the last round of nudges.');
  expect(await campaign()).toBeNull();
  expect(await campaignEvents()).toEqual([]);
});

test(
  'the admin starts a campaign with a deadline on the Progress page, its users are nudged, then pauses it; both audited as the admin',
  { timeout: 30_000 },
  async () => {
    await admin.get(`/portal/${A}`);
    expect(admin.lastHtml).toMatch(new RegExp(`<form method="post" action="/portal/${A}/campaigns">`));
    const started = await admin.postForm(`/portal/${A}/campaigns`, { domain: DOMAIN, schedule: '0, 7', deadlineIn: '21' });
    expect(started.status).toBe(200);
    expect(admin.lastHtml).toContain('Migration campaign started');
    for (const email of STANDARD) await stack.env.inbox.waitFor((m) => m.to.includes(email) && m.subject.includes('single sign-on'));
    // After the first round: waiting for the second, 0 of 2 migrated.
    await expect.poll(async () => (await campaign())?.progress, { timeout: 10_000 }).toEqual({ migrated: 0, remaining: 2 });
    const deadline = (await campaign())!.deadline!.getTime();
    expect(Math.abs(deadline - (Date.now() + 21 * 86_400_000))).toBeLessThan(60_000);

    await admin.get(`/portal/${A}`);
    expect(admin.lastHtml).toMatch(
      new RegExp(`<tr data-domain="${DOMAIN}" data-status="waiting">[\\s\\S]*?<td class="progress">0 of 2</td>`),
    );
    const paused = await admin.postForm(`/portal/${A}/campaigns/${DOMAIN}/pause`, {});
    expect(paused.status).toBe(200);
    expect(admin.lastHtml).toMatch(new RegExp(`<tr data-domain="${DOMAIN}" data-status="paused">`));
    expect(admin.lastHtml).toContain(`action="/portal/${A}/campaigns/${DOMAIN}/resume"`);

    const events = await campaignEvents();
    expect(events.map((e) => [e.action, e.actor?.kind, e.actor?.email, e.target?.id])).toEqual([
      ['campaign.started', 'user', 'admin@alpine-it.test', DOMAIN],
      ['campaign.pause', 'user', 'admin@alpine-it.test', DOMAIN],
    ]);
  },
);
