/**
 * The onboarding's history stays bounded in the test period, whatever the traffic: every
 * sign-in and replay refusal reports evidence through the same path, which signals an item
 * only a few times; and signals that do arrive (here sent straight to Temporal, as no caller
 * of ours would) make the workflow continue as new with its state intact.
 *
 * A continuous flood of signals would hold continue-as-new off (Temporal refuses to close a
 * run while new events arrive), which is why callers deduplicate before signalling.
 */
import { expect, test } from 'vitest';
import type { Client } from '@temporalio/client';
import { loadTenantSaml } from '../../lib/saml/tenant-config';
import { reportSsoEvidence } from '../../lib/sso/evidence';
import {
  EVIDENCE_KEPT_PER_ITEM,
  OnboardingStageKey,
  onboardingWorkflowId,
  testEvidenceSignal,
  type TestItem,
} from '../../lib/contracts/shared';
import * as m from '../../lib/contracts/onboarding-messages';
import { useStack } from '../support/stack';
import { evidence, onboardToTesting, waitForStage } from './support';

const MAX_EVENTS_PER_RUN = 2_000;
const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test' });

/** Every run of the onboarding (the first and those it continued as), oldest first. */
async function runs(client: Client, tenantId: string) {
  const found = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${onboardingWorkflowId(tenantId)}'` })) found.push(run);
  return found.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
}

/** Runs `count` calls of `fn`, `concurrency` at a time. */
async function flood(count: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

const onboard = (name: string) =>
  onboardToTesting(stack, { name, admin: `it@${name.toLowerCase()}.example`, domains: [`${name.toLowerCase()}.example`] });

test('10,000 sign-ins and 10,000 replay refusals in testing: each item is signalled a few times and the history stays small', async () => {
  const tid = await onboard('Northwind');
  // What the ACS has at hand for each sign-in or refusal: the tenant as loaded for SAML.
  const tenant = (await loadTenantSaml(stack.env.config, tid))!;
  expect(tenant.stage).toBe('testing');
  const report = (item: TestItem, i: number) =>
    reportSsoEvidence(stack.env.temporal, {
      tenantId: tid,
      stage: tenant.stage,
      configVersion: tenant.configVersion,
      item,
      email: `user${i}@northwind.example`,
      auditEventIds: [`audit-${i}`],
      summary: `${item} for user ${i}`,
    });
  await flood(20_000, 16, (i) => report(i % 2 ? 'replay-rejected' : 'auto-provisioning', i));

  const state = await stack.env.temporal.workflow.getHandle(onboardingWorkflowId(tid)).query(m.onboardingStateQuery);
  const kept = (item: TestItem) => state.checklist.find((e) => e.item === item)!.evidence.length;
  expect(kept('auto-provisioning')).toBe(EVIDENCE_KEPT_PER_ITEM);
  expect(kept('replay-rejected')).toBe(EVIDENCE_KEPT_PER_ITEM);
  // Only the kept evidence is noted on the timeline.
  expect(state.timeline.filter((e) => e.event.startsWith('Test evidence:'))).toHaveLength(2 * EVIDENCE_KEPT_PER_ITEM);
  const history = await runs(stack.env.temporal, tid);
  expect(history).toHaveLength(1);
  expect((await stack.env.temporal.workflow.getHandle(onboardingWorkflowId(tid)).describe()).historyLength).toBeLessThan(
    MAX_EVENTS_PER_RUN,
  );
}, 300_000);

test('signals sent straight to the workflow: it continues as new, every run stays below 2,000 events, and the state, search attribute and staff actions carry over', async () => {
  const tid = await onboard('Tailspin');
  const handle = stack.env.temporal.workflow.getHandle(onboardingWorkflowId(tid));
  expect((await stack.staff.api('POST', `/api/staff/tenants/${tid}/nominate-domain`, { domain: 'tailspin-toys.example' })).status).toBe(
    200,
  );
  const before = await handle.query(m.onboardingStateQuery);
  const firstRun = (await handle.describe()).runId;

  // Evidence of one refusal, over and over (no caller of ours does this: they claim a slot
  // first). Bursts of 100, each answered by a query once the workflow has taken it in.
  for (let burst = 0; burst < 30; burst++) {
    await flood(100, 100, (i) => handle.signal(testEvidenceSignal, evidence('group-gate', `replay${burst}-${i}@tailspin.example`)));
    await handle.query(m.onboardingStateQuery);
  }

  const history = await runs(stack.env.temporal, tid);
  const lengths = await Promise.all(
    history.map(async (r) => (await stack.env.temporal.workflow.getHandle(r.workflowId, r.runId).describe()).historyLength),
  );
  expect(history.length).toBeGreaterThanOrEqual(3);
  expect(history.slice(0, -1).every((r) => r.status.name === 'CONTINUED_AS_NEW')).toBe(true);
  expect(history[0].runId).toBe(firstRun);
  expect(history.at(-1)!.status.name).toBe('RUNNING');
  expect(Math.max(...lengths), lengths.join(', ')).toBeLessThan(MAX_EVENTS_PER_RUN);

  const after = await handle.query(m.onboardingStateQuery);
  // The first few of the first burst are kept (a burst's signals arrive in any order).
  const kept = after.checklist.find((e) => e.item === 'group-gate')!.evidence.map((e) => e.email);
  expect(kept).toHaveLength(EVIDENCE_KEPT_PER_ITEM);
  expect(kept.every((email) => email!.startsWith('replay0-'))).toBe(true);
  const withoutGroupGate = (s: typeof before) => ({
    ...s,
    checklist: s.checklist.filter((e) => e.item !== 'group-gate'),
    timeline: s.timeline.slice(0, before.timeline.length),
  });
  expect(withoutGroupGate(after)).toEqual(withoutGroupGate(before));
  expect(after.timeline).toHaveLength(before.timeline.length + EVIDENCE_KEPT_PER_ITEM);
  const running = await runs(stack.env.temporal, tid).then((all) =>
    all.filter((r) => r.status.name === 'RUNNING' && r.typedSearchAttributes.get(OnboardingStageKey) === 'testing'),
  );
  expect(running.map((r) => r.runId)).toEqual([history.at(-1)!.runId]);

  // The continued run still takes staff updates and goes live.
  const ticked = await stack.staff.api('POST', `/api/staff/tenants/${tid}/tick-test-item`, {
    item: 'account-migration',
    reason: 'Checked by hand with the customer',
  });
  expect(ticked.status, JSON.stringify(ticked.body)).toBe(200);
  const live = await stack.staff.api('POST', `/api/staff/tenants/${tid}/go-live`, {
    overrideReason: 'Pilot tenancy: provisioning and recreation tested next week',
  });
  expect(live.status, JSON.stringify(live.body)).toBe(200);
  const done = await waitForStage(stack.staff, tid, 'live');
  expect(done.domains).toEqual(['tailspin.example', 'tailspin-toys.example']);
  expect(done.checklist.filter((e) => e.evidence.length).map((e) => e.item)).toEqual(['account-migration', 'group-gate']);
  expect((await handle.result()).stage).toBe('live');
  expect((await handle.describe()).typedSearchAttributes.get(OnboardingStageKey)).toBe('live');
  expect(stack.env.inbox.messages.filter((e) => e.subject === 'Tailspin is live on Entrada single sign-on')).toHaveLength(1);
}, 300_000);
