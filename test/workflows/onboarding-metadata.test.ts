/**
 * Onboarding's configuring stage with stubbed activities: a refused metadata import keeps the
 * onboarding in `configuring` with the reason shown, staff uploads are validated before any
 * work, and the first good import starts testing with the proposed domains claimed (a refused
 * domain is noted, not fatal).
 */
import { expect, test } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import * as m from '../../lib/contracts/onboarding-messages';
import {
  grantConsent,
  onboardingInput,
  onboardingSteps,
  samlSummary,
  stageAttribute,
  startOnboarding,
  stateWhen,
  STAFF,
  untilStage,
} from '../support/onboarding-stubs';
import { useTimeSkipping } from '../support/time-skipping';

const server = useTimeSkipping();

const refused = (type: string, message: string) => () => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

test('refused metadata keeps it configuring with the reason; a good upload starts testing and claims the domains', async () => {
  let uploads = 0;
  const stub = onboardingSteps({
    importMetadataFromEntra: refused('MetadataInvalid', 'the metadata has no signing certificate'),
    importMetadataXml: () => {
      if (uploads++ === 0)
        throw ApplicationFailure.create({ type: 'TenantMismatch', message: 'the metadata belongs to tenant 0000', nonRetryable: true });
      return samlSummary('upload');
    },
    claimSsoDomain: ({ domain }) => {
      if (domain === 'fabrikam.example')
        throw ApplicationFailure.create({
          type: 'Conflict',
          message: 'fabrikam.example is already claimed by another tenant (t2)',
          nonRetryable: true,
        });
      return domain;
    },
  });
  await server.withWorker(stub.activities, async (taskQueue) => {
    const input = onboardingInput({ proposedDomains: ['contoso.example', 'fabrikam.example'] });
    const handle = await startOnboarding(server.client, taskQueue, input);
    const upload = (xml: string) => handle.executeUpdate(m.uploadMetadataUpdate, { args: [{ staffEmail: STAFF, xml }] });

    // Too early: nothing to import into yet.
    await stateWhen(handle, (s) => s.consent.sentRound === 1);
    await expect(upload('<EntityDescriptor/>')).rejects.toMatchObject({ cause: { type: 'Conflict' } });

    await grantConsent(handle);
    let state = await stateWhen(handle, (s) => s.stage === 'configuring' && s.metadataError !== undefined);
    expect(state.metadataError).toMatchObject({ type: 'MetadataInvalid', message: 'the metadata has no signing certificate' });
    expect(state.saml).toBeUndefined();
    expect(await stageAttribute(handle)).toBe('configuring');

    // Validated in the workflow, before any activity runs.
    await expect(upload('  ')).rejects.toMatchObject({ cause: { type: 'InvalidInput', message: 'the metadata XML is empty' } });
    await expect(upload('x'.repeat(512 * 1024 + 1))).rejects.toMatchObject({ cause: { type: 'InvalidInput' } });
    expect(stub.inputsOf('importMetadataXml')).toEqual([]);

    await expect(upload('<EntityDescriptor entityID="other"/>')).rejects.toMatchObject({
      cause: { type: 'TenantMismatch', message: 'the metadata belongs to tenant 0000' },
    });
    state = await untilStage(handle, 'configuring');
    expect(state.metadataError).toMatchObject({ type: 'TenantMismatch' });

    expect(await upload('<EntityDescriptor entityID="good"/>')).toMatchObject({ source: 'upload' });
    state = await untilStage(handle, 'testing');
    expect(stub.inputsOf('importMetadataXml').at(-1)).toEqual({
      tenantId: input.tenantId,
      staffEmail: STAFF,
      xml: '<EntityDescriptor entityID="good"/>',
    });
    expect(state.metadataError).toBeUndefined();
    expect(state.saml?.source).toBe('upload');
    expect(stub.inputsOf('claimSsoDomain').map((c) => c.domain)).toEqual(['contoso.example', 'fabrikam.example']);
    expect(state.domains).toEqual(['contoso.example']);
    expect(state.timeline.map((e) => e.event)).toContain(
      'SSO domain fabrikam.example refused: fabrikam.example is already claimed by another tenant (t2)',
    );
    expect(await stageAttribute(handle)).toBe('testing');
  });
});

test('staff can fetch again from Entra with an app ID; a bad app ID is refused before any request', async () => {
  let fetches = 0;
  const stub = onboardingSteps({
    importMetadataFromEntra: () => {
      if (fetches++ === 0) throw ApplicationFailure.create({ type: 'MetadataInvalid', message: 'Entra answered 404', nonRetryable: true });
      return samlSummary('entra');
    },
  });
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startOnboarding(server.client, taskQueue);
    await stateWhen(handle, (s) => s.consent.sentRound === 1);
    await grantConsent(handle);
    await stateWhen(handle, (s) => s.metadataError !== undefined);
    const fetch = (appId: string) => handle.executeUpdate(m.fetchMetadataUpdate, { args: [{ staffEmail: STAFF, appId }] });

    await expect(fetch('not-a-guid')).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: 'App ID must be a GUID, got "not-a-guid"' },
    });
    expect(fetches).toBe(1);
    await fetch('11111111-2222-3333-4444-555555555555');
    expect(stub.inputsOf('importMetadataFromEntra').at(-1)).toMatchObject({
      staffEmail: STAFF,
      appId: '11111111-2222-3333-4444-555555555555',
    });
    await untilStage(handle, 'testing');
  });
});
