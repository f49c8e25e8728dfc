/**
 * Going live with stubbed activities: refused while mandatory evidence is missing unless
 * staff give an override reason (recorded and audited), refused with no SSO domain, and the
 * approved onboarding ends `live` with the admins told.
 */
import { expect, test } from 'vitest';
import * as m from '../../lib/contracts/onboarding-messages';
import { testEvidenceSignal } from '../../lib/contracts/shared';
import { connectionStateQuery, connectionWorkflowId } from '../../lib/contracts/connection';
import {
  evidence,
  onboardingSteps,
  reachTesting,
  stageAttribute,
  stagesOf,
  startOnboarding,
  STAFF,
  untilStage,
} from '../support/onboarding-stubs';
import { useTimeSkipping } from '../support/time-skipping';

const server = useTimeSkipping();

test('missing evidence refuses go-live until staff give an override reason, which is recorded and audited; going live starts the SSO connection', async () => {
  const stub = onboardingSteps({ readConnection: () => ({ orgName: 'Contoso', certificates: [], refreshIntervalMs: 6 * 3600 * 1000 }) });
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue);
    await reachTesting(handle);
    await handle.signal(testEvidenceSignal, evidence('auto-provisioning'));
    const approve = (overrideReason?: string) =>
      handle.executeUpdate(m.approveGoLiveUpdate, { args: [{ staffEmail: STAFF, overrideReason }] });

    await expect(approve()).rejects.toMatchObject({
      cause: {
        type: 'Conflict',
        message:
          'go-live refused: no evidence yet for account-migration, account-recreation. Tick them (evidence or staff reason) or give an override reason.',
        details: [{ missing: ['account-migration', 'account-recreation'] }],
      },
    });
    await expect(approve('because')).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: 'Overriding missing test evidence: write a reason of at least 10 characters' },
    });
    expect(stub.names()).not.toContain('sendGoLiveConfirmation');

    const live = await approve('Customer has no password accounts and no deletions planned');
    expect(live.stage).toBe('live');
    expect(live.goLive).toMatchObject({
      approvedBy: STAFF,
      overrideReason: 'Customer has no password accounts and no deletions planned',
      missingAtApproval: ['account-migration', 'account-recreation'],
    });
    expect(stub.inputsOf('auditOnboarding')).toContainEqual(
      expect.objectContaining({
        action: 'onboarding.go-live.approve',
        details: {
          missing: ['account-migration', 'account-recreation'],
          overrideReason: 'Customer has no password accounts and no deletions planned',
        },
      }),
    );
    expect(stub.inputsOf('recordOnboardingStage').at(-1)).toMatchObject({ stage: 'live', by: STAFF });

    const result = await handle.result();
    expect(stub.inputsOf('sendGoLiveConfirmation')).toEqual([
      {
        tenantId: live.input.tenantId,
        orgName: 'Contoso',
        adminEmails: ['it@contoso.example'],
        domains: ['contoso.example'],
        onboardingRunId: (await handle.describe()).runId,
      },
    ]);
    expect(stagesOf(result)).toEqual(['requested', 'awaiting-consent', 'configuring', 'testing', 'live']);
    expect(await stageAttribute(handle)).toBe('live');

    // The connection outlives the onboarding that started it.
    const connection = server.client.workflow.getHandle(connectionWorkflowId(live.input.tenantId));
    expect((await connection.describe()).status.name).toBe('RUNNING');
    // Its query is there once it has read the tenancy (its first activity).
    await expect
      .poll(() => connection.query(connectionStateQuery).catch(() => undefined), { timeout: 15_000 })
      .toMatchObject({ tenantId: live.input.tenantId, orgName: 'Contoso' });
    await connection.terminate('the test has ended');
  });
});

test('with every mandatory item ticked, go-live needs no override; with no SSO domain it is refused', async () => {
  const stub = onboardingSteps();
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue);
    await reachTesting(handle);
    for (const item of ['auto-provisioning', 'account-migration', 'account-recreation'] as const)
      await handle.signal(testEvidenceSignal, evidence(item));
    await untilStage(handle, 'awaiting-go-live');

    expect(await handle.executeUpdate(m.removeDomainUpdate, { args: [{ staffEmail: STAFF, domain: 'contoso.example' }] })).toEqual([]);
    const approve = () => handle.executeUpdate(m.approveGoLiveUpdate, { args: [{ staffEmail: STAFF }] });
    await expect(approve()).rejects.toMatchObject({
      cause: { type: 'Conflict', message: 'nominate at least one SSO domain before going live' },
    });
    expect(await handle.executeUpdate(m.nominateDomainUpdate, { args: [{ staffEmail: STAFF, domain: 'Contoso.Example.' }] })).toEqual([
      'contoso.example',
    ]);

    const live = await approve();
    expect(live.goLive).toMatchObject({ approvedBy: STAFF, missingAtApproval: [] });
    expect(live.goLive?.overrideReason).toBeUndefined();
    expect(stagesOf(await handle.result())).toEqual([
      'requested',
      'awaiting-consent',
      'configuring',
      'testing',
      'awaiting-go-live',
      'live',
    ]);
  });
});
