/**
 * The staff tenant page tells "this tenant has no onboarding workflow" apart from "Temporal
 * could not be asked": only Temporal's NotFound means the former.
 */
import { beforeAll, expect, test, vi } from 'vitest';
import { TenantModel } from '../../lib/models';
import { temporalDown } from '../support/faults';
import { useStack } from '../support/stack';

const stack = useStack({ staff: 'sam@entrada.test' });
const TID = '0f6a8d3e-2b1c-4d5e-8f90-a1b2c3d4e5f6';

beforeAll(async () => {
  // A tenant record whose onboarding workflow is not there (e.g. created before onboarding existed).
  await TenantModel.create({ tenantId: TID, name: 'Fabrikam', stage: 'live', liveAt: new Date() });
});

const describeFails = () => vi.spyOn(stack.env.temporal.workflowService, 'describeWorkflowExecution').mockRejectedValueOnce(temporalDown());

test('no workflow: said so, from Temporal’s NotFound', async () => {
  const res = await stack.staff.api('GET', `/api/staff/tenants/${TID}`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ tenant: { name: 'Fabrikam' }, stateError: 'This tenant has no onboarding workflow.' });
});

test('Temporal unavailable: the stored record is shown with the reason the workflow could not be read', async () => {
  describeFails();
  const res = await stack.staff.api('GET', `/api/staff/tenants/${TID}`);
  expect(res.status).toBe(200);
  expect(res.body.tenant).toMatchObject({ name: 'Fabrikam' });
  expect(res.body.stateError).toMatch(/^The workflow state could not be read \(.*UNAVAILABLE.*\); showing the stored tenant record\.$/);

  describeFails();
  await stack.staff.get(`/staff/tenants/${TID}`);
  expect(stack.staff.lastHtml).toContain('could not be read');
  expect(stack.staff.lastHtml).not.toContain('no onboarding workflow');
});

test('an unknown tenant is 404 only when Temporal says so; with Temporal unavailable it is 503', async () => {
  const unknown = '1f6a8d3e-2b1c-4d5e-8f90-a1b2c3d4e5f6';
  expect((await stack.staff.api('GET', `/api/staff/tenants/${unknown}`)).status).toBe(404);
  describeFails();
  expect((await stack.staff.api('GET', `/api/staff/tenants/${unknown}`)).status).toBe(503);
});
