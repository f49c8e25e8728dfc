/**
 * A worker killed (SIGKILL) part-way through a round of nudges: two emails are out when it dies.
 * Once another worker takes the page up again (after the dead one's heartbeat times out), every
 * unmigrated account of the domain has exactly one nudge for the round, and the campaign
 * completes with its progress intact.
 */
import { beforeAll, expect, inject, test } from 'vitest';
import { MigrationCampaignModel } from '../../lib/models';
import { startDoomedWorker } from '../support/doomed-worker';
import { createUser } from '../support/people';
import { connectTenant, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ entra: true, staff: 'sam@entrada.test' });
let contoso: SsoTenant;
const STANDARD = ['ann', 'bob', 'cat', 'dan', 'eve'].map((n) => `${n}@killed-campaign.test`);

beforeAll(async () => {
  contoso = await connectTenant(stack, { name: 'Contoso', domains: ['killed-campaign.test'] });
  for (const email of STANDARD) await createUser({ email });
});

const nudges = () => STANDARD.map((email) => stack.env.inbox.to(email).filter((m) => m.subject.includes('single sign-on')).length);

test('killed after two nudges of a round, the retried page mails each account exactly once', { timeout: 150_000 }, async () => {
  const dying = await startDoomedWorker({ env: stack.env.envVars, bundlePath: inject('workflowBundlePath'), mailsBeforeHang: 2 });
  const started = await stack.staff.api('POST', `/api/staff/tenants/${contoso.tenantId}/campaigns`, {
    domain: 'killed-campaign.test',
    schedule: '0',
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  await dying.reached;
  await dying.kill();
  await expect.poll(() => nudges().reduce((a, b) => a + b, 0), { timeout: 10_000 }).toBe(2);

  const workers = await stack.env.startWorkers();
  try {
    await expect
      .poll(async () => (await MigrationCampaignModel.findOne({ tenantId: contoso.tenantId }).lean())?.status, {
        timeout: 120_000,
        interval: 500,
      })
      .toBe('completed');
    await expect.poll(nudges, { timeout: 10_000 }).toEqual(STANDARD.map(() => 1));
    const campaign = await MigrationCampaignModel.findOne({ tenantId: contoso.tenantId }).lean();
    expect(campaign?.progress).toMatchObject({ migrated: 0, remaining: STANDARD.length });
  } finally {
    await workers.stop();
  }
});
