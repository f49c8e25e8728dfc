import { MockActivityEnvironment } from '@temporalio/testing';
import { beforeAll, expect, test } from 'vitest';
import { createCampaignActivities } from '../../activities/campaign/nudges';
import { createMailer, type Mailer } from '../../lib/mailer';
import { MigrationCampaignModel, UserModel } from '../../lib/models';
import { createUser } from '../support/people';
import { connectTenant, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

/**
 * A migration campaign on the real worker: each standard account of the nominated domain that
 * has not migrated gets one nudge per round (no one else does), progress shows x of y, and a
 * page of nudges cut short by a crash, then run again, mails each user exactly once.
 */

const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test' });
let contoso: SsoTenant;
const STANDARD = ['ann', 'bob', 'cat', 'dan'].map((n) => `${n}@contoso.test`);

beforeAll(async () => {
  contoso = await connectTenant(stack, { name: 'Contoso', domains: ['contoso.test'] });
  for (const email of STANDARD) await createUser({ email });
  await createUser({ email: 'outsider@elsewhere.test' });
  await UserModel.create({ email: 'mia@contoso.test', kind: 'sso', tenantId: contoso.tenantId, migration: { completedAt: new Date() } });
});

const nudgesTo = (email: string) => stack.env.inbox.to(email).filter((m) => m.subject.includes('single sign-on'));

test('two rounds nudge every unmigrated standard account once each, and progress shows x of y', { timeout: 60_000 }, async () => {
  const started = await stack.staff.api('POST', `/api/staff/tenants/${contoso.tenantId}/campaigns`, {
    domain: 'contoso.test',
    schedule: '0, 3s',
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  await expect
    .poll(async () => (await MigrationCampaignModel.findOne({ tenantId: contoso.tenantId }).lean())?.status, {
      timeout: 30_000,
      interval: 250,
    })
    .toBe('completed');
  for (const email of STANDARD) expect(nudgesTo(email).length, email).toBe(2);
  expect(nudgesTo('outsider@elsewhere.test')).toEqual([]);
  expect(nudgesTo('mia@contoso.test')).toEqual([]);
  expect(nudgesTo(STANDARD[0])[0].text).toMatch(/You keep everything/);
  const campaign = await MigrationCampaignModel.findOne({ tenantId: contoso.tenantId }).lean();
  expect(campaign?.progress).toMatchObject({ migrated: 1, remaining: 4 });

  const page = await stack.staff.request('GET', `/staff/tenants/${contoso.tenantId}`);
  expect(page.status).toBe(200);
  expect(stack.staff.lastHtml).toMatch(/<td class="progress">1 of 5<\/td>/);
});

test('a page of nudges killed after two emails, then retried, mails each user exactly once', { timeout: 30_000 }, async () => {
  const real = createMailer({ smtpUrl: stack.env.config.SMTP_URL, from: stack.env.config.MAIL_FROM });
  let sends = 0;
  const dying: Mailer = {
    send: async (email) => {
      if (++sends > 2) throw new Error('worker killed');
      return real.send(email);
    },
    close: () => undefined,
  };
  const page = { campaignId: 'crash-campaign', tenantId: contoso.tenantId, domain: 'contoso.test', round: 0 };
  const before = STANDARD.map((e) => nudgesTo(e).length);
  const crashing = createCampaignActivities({ config: stack.env.config, mailer: dying });
  await expect(new MockActivityEnvironment().run(crashing.nudgeCampaignPage, page)).rejects.toThrow('worker killed');
  const retry = createCampaignActivities({ config: stack.env.config, mailer: real });
  const result = (await new MockActivityEnvironment().run(retry.nudgeCampaignPage, page)) as { sent: number };
  expect(result.sent).toBe(2);
  // And once more, as a second retry would: nothing new.
  expect(((await new MockActivityEnvironment().run(retry.nudgeCampaignPage, page)) as { sent: number }).sent).toBe(0);
  await expect.poll(() => STANDARD.map((e, i) => nudgesTo(e).length - before[i]), { timeout: 10_000 }).toEqual([1, 1, 1, 1]);
  real.close();
});
