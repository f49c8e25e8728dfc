/**
 * Reminder and expiry timers on the time-skipping test server (days pass in milliseconds):
 * reminders on the configured interval, expiry as an outcome with a staff notice, and a
 * re-issued link that continues the same workflow to consent and beyond, also across
 * continue-as-new.
 */
import { inject, afterAll, beforeAll, expect, test } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { tenantOnboarding } from '../../workflows';
import * as m from '../../lib/contracts/onboarding-messages';
import type { WorkflowHandle } from '@temporalio/client';
import { OnboardingStageKey, onboardingWorkflowId, testEvidenceSignal } from '../../lib/contracts/shared';
import { Inbox } from '../../scripts/lib/inbox';
import { createTestEnv, type TestEnv } from '../support/env';
import { DAY, stateWhen } from '../support/onboarding-stubs';
import { startTimeSkipping } from '../support/time-skipping';
import { type Entra, startEntra } from '../support/entra';
import { evidence } from './support';
import { HISTORY_LIMIT } from '../../workflows/onboarding/continue';

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
    args: [
      {
        tenantId: tenant.tenantId,
        orgName: 'Litware',
        adminEmails: ['it@litware.example'],
        proposedDomains: ['litware.example'],
        requestedBy: 'sam@entrada.test',
        consentReminderIntervalMs: 3 * DAY,
        consentExpiryMs: 10 * DAY,
      },
    ],
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

  await expect(handle.executeUpdate(m.reissueConsentUpdate, { args: [{ staffEmail: 'not an email' }] })).rejects.toMatchObject({
    cause: { type: 'InvalidInput', message: 'staff email: "not an email" is not an email address' },
  });
  expect(await handle.executeUpdate(m.reissueConsentUpdate, { args: [{ staffEmail: 'sam@entrada.test' }] })).toEqual({ round: 2 });
  await env.inbox.waitFor(() => subjects('Action needed').length === 2);
  state = await stateWhen(handle, (s) => s.stage === 'awaiting-consent');
  expect(state.consent).toMatchObject({ round: 2, sentRound: 2, remindersSent: 0 });

  await timeEnv.sleep(3 * DAY);
  await env.inbox.waitFor(() => subjects('Reminder').length === 4);

  await handle.signal(m.consentGrantedSignal, { round: 2, grantedAt: new Date().toISOString(), auditEventId: 'a1' });
  state = await stateWhen(handle, (s) => s.stage === 'testing');
  expect(state.domains).toEqual(['litware.example']);
  expect(state.timeline.filter((e) => e.stage).map((e) => e.stage)).toEqual([
    'requested',
    'awaiting-consent',
    'consent-expired',
    'awaiting-consent',
    'configuring',
    'testing',
  ]);

  // No reminders once consent is in.
  await timeEnv.sleep(30 * DAY);
  expect(subjects('Reminder')).toHaveLength(4);
  expect(
    (await handle.executeUpdate(m.cancelOnboardingUpdate, { args: [{ staffEmail: 'sam@entrada.test', reason: 'End of the timer test' }] }))
      .stage,
  ).toBe('cancelled');
});

/**
 * Signals the workflow ignores before testing, in bursts until the history passes the limit, then
 * the run it continues as. Progress is read with `describe`, never a query: on the time-skipping
 * test server a query that arrives while the workflow task that continues as new is in flight is
 * never answered (the worker's answer for the closed run is refused as "workflow execution
 * already completed"), and the server's clock stops skipping for good. The real server answers
 * it; test/onboarding/bounded-history.test.ts continues as new there under a flood.
 */
async function continuedAsNew(handle: WorkflowHandle): Promise<string> {
  const { runId } = await handle.describe();
  const noise = (n: number) => handle.signal(testEvidenceSignal, evidence('group-gate', `noise${n}@adatum.example`));
  for (let sent = 0, deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const now = await handle.describe();
    if (now.runId !== runId) return now.runId;
    if (now.historyLength <= HISTORY_LIMIT) await Promise.all(Array.from({ length: 100 }, () => noise(sent++)));
    else await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the onboarding never continued as new');
}

test('continue-as-new while waiting for consent and after expiry keeps the deadline, the reminder schedule, the link and the search attribute', async () => {
  const tenant = entra.emulator.createTenant({ name: 'Adatum' });
  const handle = await timeEnv.client.workflow.start<typeof tenantOnboarding>('tenantOnboarding', {
    taskQueue: 'onboarding-timers',
    workflowId: onboardingWorkflowId(tenant.tenantId),
    args: [
      {
        tenantId: tenant.tenantId,
        orgName: 'Adatum',
        adminEmails: ['it@adatum.example'],
        proposedDomains: ['adatum.example'],
        requestedBy: 'sam@entrada.test',
        consentReminderIntervalMs: 3 * DAY,
        consentExpiryMs: 10 * DAY,
      },
    ],
  });
  const mail = (prefix: string) => subjects(prefix).filter((e) => e.subject.includes('Adatum'));
  const request = await env.inbox.waitFor((e) => e.subject === 'Action needed: approve Entrada sign-in for Adatum');
  await timeEnv.sleep(3 * DAY);
  await env.inbox.waitFor(() => mail('Reminder').length === 1);
  const before = await stateWhen(handle, (s) => s.consent.remindersSent === 1);

  const firstRun = (await handle.describe()).runId;
  expect(await continuedAsNew(handle)).not.toBe(firstRun);
  const carried = await handle.query(m.onboardingStateQuery);
  expect(carried).toEqual(before);
  expect((await handle.describe()).typedSearchAttributes.get(OnboardingStageKey)).toBe('awaiting-consent');

  // The same schedule: reminders at days 6 and 9 with the link first emailed, expiry at day 10.
  await timeEnv.sleep(3 * DAY);
  await env.inbox.waitFor(() => mail('Reminder').length === 2);
  expect(Inbox.link(mail('Reminder')[1], '/adminconsent')).toBe(Inbox.link(request, '/adminconsent'));
  await timeEnv.sleep(3 * DAY);
  await env.inbox.waitFor(() => mail('Reminder').length === 3);
  await timeEnv.sleep(1 * DAY);
  await env.inbox.waitFor((e) => e.subject === `Consent expired: Adatum (${tenant.tenantId})`);
  const expired = await stateWhen(handle, (s) => s.stage === 'consent-expired');
  expect(expired.consent).toMatchObject({ round: 1, sentRound: 1, remindersSent: 3, expiresAt: before.consent.expiresAt });
  expect(mail('Action needed')).toHaveLength(1);

  // Continued again while waiting for staff: still waiting, and a re-issue carries on.
  await continuedAsNew(handle);
  expect((await handle.describe()).typedSearchAttributes.get(OnboardingStageKey)).toBe('consent-expired');
  await timeEnv.sleep(30 * DAY);
  expect(mail('Action needed')).toHaveLength(1);
  expect(await handle.executeUpdate(m.reissueConsentUpdate, { args: [{ staffEmail: 'sam@entrada.test' }] })).toEqual({ round: 2 });
  await env.inbox.waitFor(() => mail('Action needed').length === 2);
  await handle.signal(m.consentGrantedSignal, { round: 2, grantedAt: new Date().toISOString(), auditEventId: 'a2' });
  const testing = await stateWhen(handle, (s) => s.stage === 'testing');
  expect(testing.timeline.filter((e) => e.stage).map((e) => e.stage)).toEqual([
    'requested',
    'awaiting-consent',
    'consent-expired',
    'awaiting-consent',
    'configuring',
    'testing',
  ]);
  expect(mail('Reminder')).toHaveLength(3);
  expect(
    (await handle.executeUpdate(m.cancelOnboardingUpdate, { args: [{ staffEmail: 'sam@entrada.test', reason: 'End of the timer test' }] }))
      .stage,
  ).toBe('cancelled');
});
