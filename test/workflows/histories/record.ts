/**
 * Records workflow histories of the code as it is now, for test/workflows/replay.test.ts:
 * `npm run record:histories` (services of its own: the time-skipping server). Run it, and
 * commit what it writes, before changing a workflow: the replay test then proves that
 * workflows started on this code still replay on the next one (a worker upgraded under a
 * running onboarding must not fail it with a non-determinism error).
 *
 * Each scenario leaves its workflows where a real one spends its time (waiting for consent,
 * in testing, live with its connection running) and saves every history as
 * `<scenario>.<workflow type>.json`, named by the commit it was recorded on in the file.
 */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToObject } from './format';
import { expect, test } from 'vitest';
import * as m from '../../../lib/contracts/onboarding-messages';
import { connectionStateQuery, connectionWorkflowId } from '../../../lib/contracts/connection';
import { testEvidenceSignal } from '../../../lib/contracts/shared';
import { certificate, DAY } from '../../support/connection-stubs';
import {
  evidence,
  onboardingInput,
  onboardingSteps,
  reachTesting,
  samlSummary,
  startOnboarding,
  STAFF,
  stateWhen,
  untilStage,
} from '../../support/onboarding-stubs';
import { oktaTemplate } from '../../../lib/idp/presets';
import { useTimeSkipping } from '../../support/time-skipping';
import { migrationId, migrationInput, migrationSteps } from '../../support/migration-stubs';

const server = useTimeSkipping();
const commit = execSync('git rev-parse --short HEAD').toString().trim();

async function save(scenario: string, handle: WorkflowHandle): Promise<void> {
  const history = await handle.fetchHistory();
  const { type } = await handle.describe();
  const file = path.join(__dirname, `${scenario}.${type}.json`);
  const recorded = { recordedOn: commit, workflowId: handle.workflowId, history: historyToObject(history) };
  writeFileSync(file, `${JSON.stringify(recorded, null, 1)}\n`);
}

test('an onboarding waiting for consent, one reminder sent', async () => {
  const stub = onboardingSteps();
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue);
    await stateWhen(handle, (s) => s.consent.sentRound === 1);
    await server.sleep(3 * DAY + 60_000);
    await stateWhen(handle, (s) => s.timeline.some((e) => e.event.startsWith('Reminder 1 emailed')));
    await save('awaiting-consent', handle);
  });
});

test("an Okta onboarding through its metadata exchange: the IdP's metadata fetched, in testing", async () => {
  const stub = onboardingSteps({ importIdpMetadataFromUrl: () => samlSummary('url') });
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue, onboardingInput({ connection: oktaTemplate() }));
    await untilStage(handle, 'configuring');
    const url = 'https://initech.okta.example/app/exk1/sso/saml/metadata';
    await handle.executeUpdate(m.fetchIdpMetadataUpdate, { args: [{ staffEmail: STAFF, url }] });
    await untilStage(handle, 'testing');
    await save('metadata-exchange', handle);
  });
});

test('an onboarding in testing, with evidence and a domain nominated', async () => {
  const stub = onboardingSteps();
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue);
    await reachTesting(handle);
    await handle.signal(testEvidenceSignal, evidence('auto-provisioning'));
    await handle.executeUpdate(m.nominateDomainUpdate, { args: [{ staffEmail: STAFF, domain: 'contoso-labs.example' }] });
    await stateWhen(handle, (s) => s.checklist.some((c) => c.item === 'auto-provisioning' && c.evidence.length === 1));
    await save('testing', handle);
  });
});

test('an onboarding gone live, and the SSO connection it started after a refresh', async () => {
  const now = await server.env.currentTimeMs();
  const certificates = [certificate('LIVE', 365 * DAY, now)];
  const stub = onboardingSteps({
    readConnection: () => ({ orgName: 'Contoso', certificates, refreshIntervalMs: DAY }),
    refreshConnectionMetadata: () => ({ certificates, staged: [], unpublished: [], dropped: [] }),
    auditConnection: ({ action }) => `a-${action}`,
  });
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue);
    await reachTesting(handle);
    for (const item of ['auto-provisioning', 'account-migration', 'account-recreation'] as const)
      await handle.signal(testEvidenceSignal, evidence(item));
    await stateWhen(handle, (s) => s.stage === 'awaiting-go-live');
    expect((await handle.executeUpdate(m.approveGoLiveUpdate, { args: [{ staffEmail: STAFF }] })).stage).toBe('live');
    await handle.result();
    await save('live', handle);

    const { tenantId } = (await handle.query(m.onboardingStateQuery)).input;
    const sso = server.client.workflow.getHandle(connectionWorkflowId(tenantId));
    await server.sleep(DAY + 60_000);
    await expect.poll(async () => (await sso.query(connectionStateQuery))?.lastRefresh?.trigger, { timeout: 15_000 }).toBe('schedule');
    await save('live', sso);
  });
});

test("a user's migration, every step done, the user told", async () => {
  const stub = migrationSteps();
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await server.client.workflow.start('migrateUser', { taskQueue, workflowId: migrationId, args: [migrationInput] });
    await handle.result();
    await save('migrated', handle);
  });
});
