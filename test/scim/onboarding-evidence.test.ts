/**
 * The onboarding checklist's optional "provisioning" item, ticked by real events while the
 * tenant is being tested: a SCIM-created user signs in by SSO, and a SCIM-deleted user is
 * purged after the quarantine window. The tenant is onboarded for real.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { EntraProvisioningService, ProvisioningDirectory } from '../../emulator/provisioning';
import type { OnboardingState } from '../../lib/contracts/onboarding-state';
import { deprovisioningWorkflowId } from '../../lib/contracts/deprovisioning';
import { AuditEventModel, UserModel } from '../../lib/models';
import { issueScimToken } from '../../lib/scim/tokens';
import { onboardToTesting, waitForState } from '../onboarding/support';
import { createTestEnv, type TestEnv } from '../support/env';
import { startEntra, type Entra } from '../support/entra';
import type { HttpClient } from '../support/http-client';
import { createUser, signedIn } from '../support/people';
import { SsoBrowser } from '../support/sso';

let entra: Entra;
let env: TestEnv;
let staff: HttpClient;

beforeAll(async () => {
  entra = await startEntra();
  env = await createTestEnv({ ENTRA_LOGIN_BASE_URL: entra.url, SCIM_QUARANTINE: '3s' });
  await env.startWorkers();
  await env.startWeb();
  await createUser({ email: 'sam@entrada.test', isStaff: true });
  staff = await signedIn(env.baseUrl, 'sam@entrada.test');
});
afterAll(async () => {
  await env?.teardown();
  await entra?.close();
});

test('a SCIM-created user who signed in and a SCIM-deleted user purged after the window tick the optional provisioning item, citing both', async () => {
  const ctx = { staff, entra, inbox: env.inbox, clientId: env.config.ENTRA_CLIENT_ID, baseUrl: env.baseUrl };
  const tid = await onboardToTesting(ctx, { name: 'Tailspin', admin: 'it@tailspin.example', domains: ['tailspin.example'] });
  const { token } = await issueScimToken(tid, { kind: 'staff', email: 'sam@entrada.test' }, { overlapMs: 0 });
  const directory = new ProvisioningDirectory();
  const service = new EntraProvisioningService(directory, { scimUrl: `${env.baseUrl}/scim/v2/${tid}`, token });
  const una = directory.addUser({ userPrincipalName: 'una@tailspin.example' });
  const leo = directory.addUser({ userPrincipalName: 'leo@tailspin.example' });
  expect((await service.runCycle()).created).toBe(2);

  const emulated = entra.emulator.getTenant(tid)!;
  emulated.addUser({ email: 'una@tailspin.example', objectId: una.objectId });
  expect((await new SsoBrowser(env, { emulated, tenantId: tid }).signIn('una@tailspin.example')).status).toBe(303);
  directory.hardDelete(leo.objectId);
  await service.runCycle();
  const leoId = String((await UserModel.findOne({ email: 'leo@tailspin.example' }).lean())?._id);
  expect((await env.temporal.workflow.getHandle(deprovisioningWorkflowId(leoId)).result()).stage).toBe('purged');

  const state = await waitForState(staff, tid, (s: OnboardingState) => s.checklist.find((e) => e.item === 'provisioning')!.evidence.length > 0, 'provisioning evidence');
  const entry = state.checklist.find((e) => e.item === 'provisioning')!;
  expect(entry.mandatory).toBe(false);
  const signedInEvent = await AuditEventModel.findOne({ action: 'scim.evidence.user-signed-in', tenantId: tid }).lean();
  const purgedEvent = await AuditEventModel.findOne({ action: 'deprovisioning.purged', tenantId: tid }).lean();
  expect(entry.evidence[0]).toMatchObject({ item: 'provisioning', email: 'una@tailspin.example', auditEventIds: [String(signedInEvent?._id), String(purgedEvent?._id)] });
});
