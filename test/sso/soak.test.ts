/**
 * A short soak (the long one is `npm run bench:soak`): new users, returning users, migrations
 * and replays at once, at a live tenant and at one in `testing` with its real onboarding
 * workflow. Nothing answers 5xx, every valid response signs in exactly its own user (each
 * session is asked who it is), every replay is refused, and workflow histories stay small.
 */
import { expect, test } from 'vitest';
import { UserModel } from '../../lib/models';
import * as m from '../../lib/contracts/onboarding-messages';
import { acsUrl, spEntityId } from '../../lib/saml/sp-urls';
import { EVIDENCE_KEPT_PER_ITEM, onboardingWorkflowId } from '../../lib/contracts/shared';
import { longestHistory, runSoak, type SoakPlan, type SoakTenant } from '../../scripts/lib/sso-soak';
import { createUser, PASSWORD } from '../support/people';
import { onboardToTesting } from '../onboarding/support';
import { useStack } from '../support/stack';
import { connectTenant } from '../support/sso';

const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test' });

test('75 concurrent sign-ins of every kind and 20 replays: no 5xx, each response signs in its own user, replays refused, histories small', async () => {
  const pilotId = await onboardToTesting(stack, { name: 'Pilot', admin: 'it@pilot.example', domains: ['pilot.example'] });
  const live = await connectTenant(stack, { name: 'Soak', domains: ['soak.example'] });
  const soakTenant = (tenantId: string): SoakTenant => ({
    tenantId,
    emulated: stack.entra.emulator.getTenant(tenantId)!,
    acsUrl: acsUrl(stack.env.config, tenantId),
    entityId: spEntityId(stack.env.config, tenantId),
  });
  const [atLive, atPilot] = [soakTenant(live.tenantId), soakTenant(pilotId)];

  const signIns: SoakPlan['signIns'] = [];
  const add = (kind: SoakPlan['signIns'][number]['kind'], tenant: SoakTenant, emails: string[]) => {
    for (const email of emails) {
      tenant.emulated.addUser({ email });
      signIns.push({ kind, tenant, email });
    }
  };
  const range = (n: number, name: (i: number) => string) => Array.from({ length: n }, (_, i) => name(i));
  add(
    'new user',
    atLive,
    range(30, (i) => `new${i}@soak.example`),
  );
  add(
    'returning user',
    atLive,
    range(15, (i) => `back${i}@soak.example`),
  );
  add(
    'migration',
    atLive,
    range(15, (i) => `legacy${i}@soak.example`),
  );
  add(
    'new user',
    atPilot,
    range(15, (i) => `pilot${i}@pilot.example`),
  );
  for (const s of signIns.filter((s) => s.kind === 'migration')) await createUser({ email: s.email, password: PASSWORD });
  const returning = signIns.filter((s) => s.kind === 'returning user');
  const warmUp = await runSoak([stack.env.baseUrl], { signIns: returning, replays: 0 }, { concurrency: 4 });
  expect(warmUp.counts['returning user']['signed in']).toBe(returning.length);

  const report = await runSoak([stack.env.baseUrl], { signIns, replays: 20 }, { concurrency: 6 });

  expect(report.problems).toEqual([]);
  expect(report.counts).toEqual({
    'new user': expect.objectContaining({ 'signed in': 45, '5xx': 0, 'wrong refusal': 0, 'wrong user': 0, 'rate limited': 0 }),
    'returning user': expect.objectContaining({ 'signed in': 15, '5xx': 0, 'wrong refusal': 0, 'wrong user': 0 }),
    migration: expect.objectContaining({ 'signed in': 15, '5xx': 0, 'wrong refusal': 0, 'wrong user': 0 }),
    replay: expect.objectContaining({ 'replay refused': 20, 'replay accepted': 0, '5xx': 0 }),
  });
  expect(await UserModel.countDocuments({ email: /^legacy\d+@soak\.example$/, kind: 'sso', status: 'active' })).toBe(15);

  // Histories: each migration a few dozen events; the pilot's onboarding heard of each item a few times.
  const migrations = await longestHistory(stack.env.temporal, "WorkflowType = 'migrateUser'");
  expect(migrations.workflows).toBe(15);
  expect(migrations.events).toBeLessThan(100);
  const onboarding = await longestHistory(stack.env.temporal, `WorkflowId = '${onboardingWorkflowId(pilotId)}'`);
  expect(onboarding.events).toBeLessThan(2_000);
  const state = await stack.env.temporal.workflow.getHandle(onboardingWorkflowId(pilotId)).query(m.onboardingStateQuery);
  const kept = (item: string) => state.checklist.find((e) => e.item === item)!.evidence.length;
  expect(kept('auto-provisioning')).toBe(EVIDENCE_KEPT_PER_ITEM);
  expect(kept('replay-rejected')).toBeLessThanOrEqual(EVIDENCE_KEPT_PER_ITEM);
}, 300_000);
