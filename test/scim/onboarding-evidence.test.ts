/**
 * The onboarding checklist's optional "provisioning" item, ticked by real events while the
 * tenant is being tested: a SCIM-created user signs in by SSO, and a SCIM-deleted user is
 * purged after the quarantine window. The tenant is onboarded for real.
 */
import { expect, test } from 'vitest';
import { EntraProvisioningService, ProvisioningDirectory } from '../../emulator/provisioning';
import type { OnboardingState } from '../../lib/contracts/onboarding-state';
import { deprovisioningWorkflowId } from '../../lib/contracts/deprovisioning';
import { AuditEventModel, UserModel } from '../../lib/models';
import { issueScimToken } from '../../lib/scim/tokens';
import { onboardToTesting, waitForState } from '../onboarding/support';
import { SsoBrowser } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test', config: { SCIM_QUARANTINE: '3s' } });

test('a SCIM-created user who signed in and a SCIM-deleted user purged after the window tick the optional provisioning item, citing both', async () => {
  const tid = await onboardToTesting(stack, { name: 'Tailspin', admin: 'it@tailspin.example', domains: ['tailspin.example'] });
  const { token } = await issueScimToken(tid, { kind: 'staff', email: 'sam@entrada.test' }, { overlapMs: 0 });
  const directory = new ProvisioningDirectory();
  const service = new EntraProvisioningService(directory, { scimUrl: `${stack.env.baseUrl}/scim/v2/${tid}`, token });
  const una = directory.addUser({ userPrincipalName: 'una@tailspin.example' });
  const leo = directory.addUser({ userPrincipalName: 'leo@tailspin.example' });
  expect((await service.runCycle()).created).toBe(2);

  const emulated = stack.entra.emulator.getTenant(tid)!;
  emulated.addUser({ email: 'una@tailspin.example', objectId: una.objectId });
  expect((await new SsoBrowser(stack.env, { emulated, tenantId: tid }).signIn('una@tailspin.example')).status).toBe(303);
  directory.hardDelete(leo.objectId);
  await service.runCycle();
  const leoId = String((await UserModel.findOne({ email: 'leo@tailspin.example' }).lean())?._id);
  expect((await stack.env.temporal.workflow.getHandle(deprovisioningWorkflowId(leoId)).result()).stage).toBe('purged');

  const state = await waitForState(
    stack.staff,
    tid,
    (s: OnboardingState) => s.checklist.find((e) => e.item === 'provisioning')!.evidence.length > 0,
    'provisioning evidence',
  );
  const entry = state.checklist.find((e) => e.item === 'provisioning')!;
  expect(entry.mandatory).toBe(false);
  const signedInEvent = await AuditEventModel.findOne({ action: 'scim.evidence.user-signed-in', tenantId: tid }).lean();
  const purgedEvent = await AuditEventModel.findOne({ action: 'deprovisioning.purged', tenantId: tid }).lean();
  expect(entry.evidence[0]).toMatchObject({
    item: 'provisioning',
    email: 'una@tailspin.example',
    auditEventIds: [String(signedInEvent?._id), String(purgedEvent?._id)],
  });
});
