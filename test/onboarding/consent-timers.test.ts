/**
 * Reminder and expiry timers on the time-skipping test server (days pass in milliseconds):
 * reminders on the configured interval, expiry as an outcome with a staff notice, and a
 * re-issued link that continues the same workflow to consent and beyond.
 */
import { inject, afterAll, beforeAll, expect, test } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { tenantOnboarding } from '../../workflows';
import * as m from '../../lib/contracts/onboarding-messages';
import { onboardingWorkflowId } from '../../lib/contracts/shared';
import { createTestEnv, type TestEnv } from '../support/env';
import { DAY, stateWhen } from '../support/onboarding-stubs';
import { startTimeSkipping } from '../support/time-skipping';
import { type Entra, startEntra } from '../support/entra';

let entra: Entra;
let env: TestEnv;
let timeEnv: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  entra = await startEntra();
  env = await createTestEnv({ ENTRA_LOGIN_BASE_URL: entra.url, STAFF_EMAIL: 'onboarding-team@entrada.test' });
  timeEnv = await startTimeSkipping();
  worker = await Worker.create({
    connection: timeEnv.nativeConnection,
    namespace: timeEnv.namespace ?? 'default',
    taskQueue: 'onboarding-timers',
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities(env.deps),
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await timeEnv?.teardown();
  await env?.teardown();
  await entra?.close();
});

const subjects = (prefix: string) => env.inbox.messages.filter((e) => e.subject.startsWith(prefix));

test('reminders every 3 days, expiry after 10 with a staff notice, then a re-issued link continues the same workflow', async () => {
  const tenant = entra.emulator.createTenant({ name: 'Litware' });
  const handle = await timeEnv.client.workflow.start<typeof tenantOnboarding>('tenantOnboarding', {
    taskQueue: 'onboarding-timers',
    workflowId: onboardingWorkflowId(tenant.tenantId),
    args: [{ tenantId: tenant.tenantId, orgName: 'Litware', adminEmails: ['it@litware.example'], proposedDomains: ['litware.example'], requestedBy: 'sam@entrada.test', consentReminderIntervalMs: 3 * DAY, consentExpiryMs: 10 * DAY }],
  });
  await env.inbox.waitFor((e) => e.subject === 'Action needed: approve Entrada sign-in for Litware');
  let state = await stateWhen(handle, (s) => s.consent.sentRound === 1);
  const startedAt = Date.parse(state.stageSince);
  // Workflow time moves on by the length of an activity or two between these instants.
  expect(Math.abs(Date.parse(state.consent.nextReminderAt!) - startedAt - 3 * DAY)).toBeLessThan(10_000);
  expect(Math.abs(Date.parse(state.consent.expiresAt!) - startedAt - 10 * DAY)).toBeLessThan(10_000);

  for (const n of [1, 2, 3]) {
    await timeEnv.sleep(3 * DAY);
    await env.inbox.waitFor(() => subjects('Reminder: approve Entrada sign-in for Litware').length === n);
  }
  expect(subjects('Reminder')[0].text).toContain('/adminconsent?');
  state = await stateWhen(handle, (s) => s.consent.remindersSent === 3);
  expect(state.consent.nextReminderAt).toBeUndefined(); // the next stop is expiry, at day 10

  await timeEnv.sleep(1 * DAY);
  const notice = await env.inbox.waitFor((e) => e.subject === `Consent expired: Litware (${tenant.tenantId})`);
  expect(notice.to).toEqual(['onboarding-team@entrada.test']);
  expect(notice.text).toContain(`/staff/tenants/${tenant.tenantId}`);
  state = await stateWhen(handle, (s) => s.stage === 'consent-expired');
  expect(state.waitingFor).toBe('staff to re-issue the consent link');

  // Nothing more happens on its own, however long it waits.
  await timeEnv.sleep(60 * DAY);
  expect(subjects('Reminder')).toHaveLength(3);
  expect(subjects('Action needed')).toHaveLength(1);

  await expect(handle.executeUpdate(m.reissueConsentUpdate, { args: [{ staffEmail: 'not an email' }] })).rejects.toMatchObject({ cause: { type: 'InvalidInput', message: 'staff email: "not an email" is not an email address' } });
  expect(await handle.executeUpdate(m.reissueConsentUpdate, { args: [{ staffEmail: 'sam@entrada.test' }] })).toEqual({ round: 2 });
  await env.inbox.waitFor(() => subjects('Action needed').length === 2);
  state = await stateWhen(handle, (s) => s.stage === 'awaiting-consent');
  expect(state.consent).toMatchObject({ round: 2, sentRound: 2, remindersSent: 0 });

  await timeEnv.sleep(3 * DAY);
  await env.inbox.waitFor(() => subjects('Reminder').length === 4);

  await handle.signal(m.consentGrantedSignal, { round: 2, grantedAt: new Date().toISOString(), auditEventId: 'a1' });
  state = await stateWhen(handle, (s) => s.stage === 'testing');
  expect(state.domains).toEqual(['litware.example']);
  expect(state.timeline.filter((e) => e.stage).map((e) => e.stage)).toEqual(['requested', 'awaiting-consent', 'consent-expired', 'awaiting-consent', 'configuring', 'testing']);

  // No reminders once consent is in.
  await timeEnv.sleep(30 * DAY);
  expect(subjects('Reminder')).toHaveLength(4);
  expect((await handle.executeUpdate(m.cancelOnboardingUpdate, { args: [{ staffEmail: 'sam@entrada.test', reason: 'End of the timer test' }] })).stage).toBe('cancelled');
});
