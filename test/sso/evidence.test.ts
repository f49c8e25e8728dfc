/**
 * While a tenant is in `testing`, refusals that prove a checklist item tick it on the real
 * onboarding workflow: a user outside the allowed groups (group gate), a replayed response
 * that had signed someone in (replay rejected) — and nothing that merely looks like one. The
 * tenant is onboarded for real (consent redirect, metadata import).
 */
import { expect, test } from 'vitest';
import { AuditEventModel, TenantModel } from '../../lib/models';
import type { OnboardingState } from '../../lib/contracts/onboarding-state';
import { onboardToTesting, waitForState } from '../onboarding/support';
import { lastRejection } from './support';
import { SsoBrowser } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ entra: true, workers: true, staff: { email: 'sam@entrada.test', displayName: 'Sam Staff' } });

const evidenceFor = (item: string) => (s: OnboardingState) => s.checklist.find((e) => e.item === item)!.evidence.length > 0;

test('group-gate and replay refusals in testing become checklist evidence citing their audit events; look-alikes do not', async () => {
  const tid = await onboardToTesting(stack, { name: 'Litware', admin: 'it@litware.example', domains: ['litware.example'] });
  const allowed = '5b5b5b5b-0000-4000-8000-000000000001';
  await TenantModel.updateOne({ tenantId: tid }, { $set: { allowedGroups: [allowed] }, $inc: { configVersion: 1 } });
  const emulated = stack.entra.emulator.getTenant(tid)!;
  emulated.addUser({ email: 'ola@litware.example', groups: ['5b5b5b5b-0000-4000-8000-000000000002'] });
  emulated.addUser({ email: 'ina@litware.example', groups: [allowed] });

  expect((await new SsoBrowser(stack.env, { emulated, tenantId: tid }).signIn('ola@litware.example')).status).toBe(403);
  const gate = await lastRejection();
  expect(gate?.reason).toBe('group-not-allowed');
  let state = await waitForState(stack.staff, tid, evidenceFor('group-gate'), 'group-gate evidence');
  expect(state.checklist.find((e) => e.item === 'group-gate')!.evidence[0]).toMatchObject({
    email: 'ola@litware.example',
    auditEventIds: [gate!.reference],
  });

  // Look-alikes that prove nothing about replay protection. A second, fresh answer to a request
  // that was already answered: that is how a legitimate first POST can be refused.
  const ina = new SsoBrowser(stack.env, { emulated, tenantId: tid });
  const answered = await ina.startLogin();
  expect((await ina.postAcs(ina.issue('ina@litware.example', { inResponseTo: answered.requestId }).samlResponse)).status).toBe(303);
  expect((await ina.postAcs(ina.issue('ina@litware.example', { inResponseTo: answered.requestId }).samlResponse)).status).toBe(400);
  expect((await lastRejection())?.reason).toBe('in-response-to-reused');
  // An assertion posted again whose first post was refused (it never signed anyone in).
  const gated = new SsoBrowser(stack.env, { emulated, tenantId: tid });
  const refusedFirst = gated.issue('ola@litware.example', { inResponseTo: (await gated.startLogin()).requestId }).samlResponse;
  expect((await gated.postAcs(refusedFirst)).status).toBe(403);
  expect((await gated.postAcs(refusedFirst)).status).toBe(400);
  expect((await lastRejection())?.reason).toBe('assertion-replayed');

  // A captured response that signed someone in, posted a second time.
  const victim = new SsoBrowser(stack.env, { emulated, tenantId: tid });
  const { requestId } = await victim.startLogin();
  const { samlResponse } = victim.issue('ina@litware.example', { inResponseTo: requestId });
  expect((await victim.postAcs(samlResponse)).status).toBe(303);
  expect((await new SsoBrowser(stack.env, { emulated, tenantId: tid }).postAcs(samlResponse)).status).toBe(400);
  const replay = await lastRejection();
  expect(replay?.reason).toBe('assertion-replayed');
  state = await waitForState(stack.staff, tid, evidenceFor('replay-rejected'), 'replay-rejected evidence');
  // Signals are handled in order: evidence from the look-alikes would be here by now.
  expect(state.checklist.find((e) => e.item === 'replay-rejected')!.evidence.map((e) => e.auditEventIds)).toEqual([[replay!.reference]]);
  expect(await AuditEventModel.findById(replay!.reference).lean()).toMatchObject({ action: 'saml.rejected', tenantId: tid });
});

test('an MFA refusal in testing ticks the optional MFA item, citing its audit event', async () => {
  const tid = await onboardToTesting(stack, { name: 'Fabrikam', admin: 'it@fabrikam.example', domains: ['fabrikam.example'] });
  expect((await stack.staff.api('POST', `/api/staff/tenants/${tid}/sso-policy`, { requireMfa: true })).status).toBe(200);
  const emulated = stack.entra.emulator.getTenant(tid)!;
  emulated.addUser({ email: 'lee@fabrikam.example' });

  expect((await new SsoBrowser(stack.env, { emulated, tenantId: tid }).signIn('lee@fabrikam.example')).status).toBe(403);
  const refusal = await lastRejection();
  expect(refusal?.reason).toBe('mfa-required');
  const state = await waitForState(stack.staff, tid, evidenceFor('mfa-refusal'), 'mfa-refusal evidence');
  const entry = state.checklist.find((e) => e.item === 'mfa-refusal')!;
  expect(entry.mandatory).toBe(false);
  expect(entry.evidence[0]).toMatchObject({ email: 'lee@fabrikam.example', auditEventIds: [refusal!.reference] });
});

test('an IdP-initiated sign-in in testing ticks the optional IdP-initiated item, citing its sign-in audit event', async () => {
  const tid = await onboardToTesting(stack, { name: 'Tailspin', admin: 'it@tailspin.example', domains: ['tailspin.example'] });
  expect((await stack.staff.api('POST', `/api/staff/tenants/${tid}/sso-policy`, { allowIdpInitiated: true })).status).toBe(200);
  const emulated = stack.entra.emulator.getTenant(tid)!;
  emulated.addUser({ email: 'max@tailspin.example' });

  const max = new SsoBrowser(stack.env, { emulated, tenantId: tid });
  const acs = await max.postAcs(max.issue('max@tailspin.example').samlResponse);
  expect(acs.status).toBe(303);
  expect((await max.http.get(acs.headers.get('location')!, { redirect: 'manual' })).status).toBe(303);
  const signedIn = await AuditEventModel.findOne({ action: 'sso.signed-in', tenantId: tid, 'details.idpInitiated': true }).lean();
  const state = await waitForState(stack.staff, tid, evidenceFor('idp-initiated'), 'idp-initiated evidence');
  const entry = state.checklist.find((e) => e.item === 'idp-initiated')!;
  expect(entry.mandatory).toBe(false);
  expect(entry.evidence[0]).toMatchObject({ email: 'max@tailspin.example', auditEventIds: [String(signedIn!._id)] });
});
