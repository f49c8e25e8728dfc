/**
 * The certificate rollover rehearsal (optional checklist item) on the whole stack: in testing,
 * the emulated Entra tenant publishes a new signing certificate before switching to it. Staff
 * re-import the metadata: the new certificate is staged beside the current one (both trusted)
 * instead of replacing it, so nobody is refused at any point; the first sign-in verified with
 * the new certificate ticks the item, with its thumbprint, time and audit event as evidence.
 */
import { expect, test } from 'vitest';
import { AuditEventModel, TenantModel } from '../../lib/models';
import type { OnboardingState } from '../../lib/contracts/onboarding-state';
import { SsoBrowser } from '../support/sso';
import { useStack } from '../support/stack';
import { onboardingState, onboardToTesting, waitForState } from './support';

const stack = useStack({ entra: true, workers: true, staff: { email: 'sam@entrada.test', displayName: 'Sam Staff' } });

const rehearsal = (s: OnboardingState) => s.checklist.find((e) => e.item === 'certificate-rollover')!;
const stored = async (tid: string) =>
  ((await TenantModel.findOne({ tenantId: tid }).lean())?.saml?.certificates ?? []).map((c) => ({
    thumbprint: c.thumbprint,
    staged: Boolean(c.stagedAt),
    proven: Boolean(c.provenAt),
  }));

test('a re-import in testing stages the new certificate beside the current one; the first sign-in with it ticks the rehearsal', async () => {
  const tid = await onboardToTesting(stack, { name: 'Fabrikam', admin: 'it@fabrikam.example', domains: ['fabrikam.example'] });
  const emulated = stack.entra.emulator.getTenant(tid)!;
  emulated.addUser({ email: 'ada@fabrikam.example' });
  const signIn = async () => (await new SsoBrowser(stack.env, { emulated, tenantId: tid }).signIn('ada@fabrikam.example')).status;
  expect(await signIn()).toBe(303);
  const [old] = emulated.signingCertificates();

  // Published, not yet signing: the re-import stages it and keeps the current one.
  const next = emulated.addSigningCertificate();
  const imported = await stack.staff.api('POST', `/api/staff/tenants/${tid}/fetch-metadata`, {});
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  expect(await stored(tid)).toEqual([
    { thumbprint: old!.thumbprint, staged: false, proven: false },
    { thumbprint: next.thumbprint, staged: true, proven: false },
  ]);
  const importAudit = await AuditEventModel.findOne({ tenantId: tid, action: 'onboarding.metadata.import' }).sort({ at: -1 }).lean();
  expect(importAudit?.details).toMatchObject({ staged: [next.thumbprint] });
  expect(await signIn()).toBe(303); // still signed with the old key: proves nothing
  expect(rehearsal(await onboardingState(stack.staff, tid)).evidence).toEqual([]);

  // Entra switches to it: the next sign-in works and is the proof.
  emulated.activateSigningCertificate(next.thumbprint);
  const before = Date.now();
  expect(await signIn()).toBe(303);
  const state = await waitForState(stack.staff, tid, (s) => rehearsal(s).evidence.length > 0, 'rollover rehearsal evidence');
  const proven = await AuditEventModel.findOne({ tenantId: tid, action: 'sso.certificate.proven' }).lean();
  expect(proven?.details).toEqual({ thumbprint: next.thumbprint });
  const [evidence] = rehearsal(state).evidence;
  expect(evidence).toMatchObject({ item: 'certificate-rollover', email: 'ada@fabrikam.example', auditEventIds: [String(proven!._id)] });
  expect(evidence!.summary).toContain(next.thumbprint);
  expect(Date.parse(evidence!.at)).toBeGreaterThanOrEqual(before - 1000);
  expect(await stored(tid)).toEqual([
    { thumbprint: old!.thumbprint, staged: false, proven: false },
    { thumbprint: next.thumbprint, staged: true, proven: true },
  ]);
  // Proven once: later sign-ins add nothing.
  expect(await signIn()).toBe(303);
  expect(await AuditEventModel.countDocuments({ tenantId: tid, action: 'sso.certificate.proven' })).toBe(1);
});
