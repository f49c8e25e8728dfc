/**
 * The admin-consent callback on real parts: every bad response is shown to the admin,
 * audited, and changes nothing; a good one is used once.
 */
import { beforeAll, expect, test } from 'vitest';
import { signConsentState } from '../../lib/onboarding/consent-state';
import { AuditEventModel, TenantModel } from '../../lib/models';
import { HttpClient } from '../support/http-client';
import { consentLink, decideConsent, onboardingState, waitForStage } from './support';
import { useStack } from '../support/stack';

const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test' });
let tid: string;
let callbackUrl: string;

beforeAll(async () => {
  callbackUrl = `${stack.env.baseUrl}/onboarding/consent/callback`;
  tid = stack.entra.emulator.createTenant({ name: 'Woodgrove' }).tenantId;
  expect(
    (await stack.staff.api('POST', '/api/staff/tenants', { tenantId: tid, orgName: 'Woodgrove Bank', adminEmails: 'it@woodgrove.example' }))
      .status,
  ).toBe(201);
  await waitForStage(stack.staff, tid, 'awaiting-consent');
});

async function callback(url: string) {
  const admin = new HttpClient(stack.env.baseUrl);
  const res = await admin.get(url);
  return { status: res.status, outcome: admin.lastHtml.match(/data-outcome="([^"]+)"/)?.[1], html: admin.lastHtml };
}
const lastCallbackAudit = async () =>
  (await AuditEventModel.find({ action: 'onboarding.consent.callback' }).sort({ at: -1, _id: -1 }).limit(1).lean())[0];
const consentEmails = () => stack.env.inbox.to('it@woodgrove.example').filter((m) => m.subject.startsWith('Action needed'));
async function linkOfRound(round: number) {
  await stack.env.inbox.waitFor(() => consentEmails().length >= round);
  return consentLink(consentEmails()[round - 1], stack.entra, tid, stack.env.config.ENTRA_CLIENT_ID, callbackUrl);
}
async function expectStillAwaiting() {
  const state = await onboardingState(stack.staff, tid);
  expect(state.stage).toBe('awaiting-consent');
  expect(state.consent.grantedAt).toBeUndefined();
  expect((await TenantModel.findOne({ tenantId: tid }).lean())!.consentRequest!.usedAt).toBeUndefined();
}

test('an unknown or forged state is refused and audited', async () => {
  const link = await linkOfRound(1);
  const state = new URL(link).searchParams.get('state')!;
  const forged = state.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  const signedButNeverIssued = signConsentState(stack.env.config.SESSION_SECRET, tid, 'AAAAAAAAAAAAAAAAAAAAAAAA');
  const cases: [string, string][] = [
    ['', 'invalid-state'],
    ['garbage', 'invalid-state'],
    [forged, 'invalid-state'],
    [signedButNeverIssued, 'superseded-or-unknown-state'],
  ];
  for (const [bad, reason] of cases) {
    const res = await callback(`${callbackUrl}?admin_consent=True&tenant=${tid}&state=${encodeURIComponent(bad)}`);
    expect([res.status, res.outcome]).toEqual([400, 'invalid']);
    expect(res.html).toContain('This link is not valid');
    expect(await lastCallbackAudit()).toMatchObject({ outcome: 'denied', details: { reason } });
  }
  await expectStillAwaiting();
});

test('an error from Entra (the admin pressed Cancel) is shown, audited, and changes nothing', async () => {
  const redirect = await decideConsent(await linkOfRound(1), 'cancel');
  expect(redirect).toContain('error=access_denied');
  const res = await callback(redirect);
  expect([res.status, res.outcome]).toEqual([200, 'declined']);
  expect(res.html).toContain('AADSTS65004: User declined to consent to access the app.');
  expect(await lastCallbackAudit()).toMatchObject({
    outcome: 'failure',
    tenantId: tid,
    details: { reason: 'entra-error', error: 'access_denied' },
  });
  await expectStillAwaiting();

  // error wins even if admin_consent=True is also present.
  const both = await callback(`${redirect}&admin_consent=True&tenant=${tid}`);
  expect(both.outcome).toBe('declined');
  await expectStillAwaiting();
});

test('consent given in another tenant, or without admin_consent=True, is refused', async () => {
  const accepted = new URL(await decideConsent(await linkOfRound(1), 'accept'));
  const other = new URL(accepted);
  other.searchParams.set('tenant', '0b1c7f56-3a55-4c3e-9f0e-5a4c3f1e2d10');
  const wrong = await callback(other.toString());
  expect([wrong.status, wrong.outcome]).toEqual([400, 'wrong-tenant']);
  expect(wrong.html).toContain(`This link is for tenant ${tid}, but consent was given in tenant 0b1c7f56-3a55-4c3e-9f0e-5a4c3f1e2d10`);
  expect(await lastCallbackAudit()).toMatchObject({
    outcome: 'denied',
    details: { reason: 'tenant-mismatch', expected: tid, received: '0b1c7f56-3a55-4c3e-9f0e-5a4c3f1e2d10' },
  });

  const noFlag = new URL(accepted);
  noFlag.searchParams.delete('admin_consent');
  expect((await callback(noFlag.toString())).outcome).toBe('invalid');
  expect(await lastCallbackAudit()).toMatchObject({ outcome: 'denied', details: { reason: 'no-admin-consent' } });
  await expectStillAwaiting();
});

test('a re-issued link supersedes the old one; the new one works once', async () => {
  const oldLink = await linkOfRound(1);
  const reissue = await stack.staff.api('POST', `/api/staff/tenants/${tid}/reissue-consent`, {});
  expect(reissue).toMatchObject({ status: 200, body: { result: { round: 2 } } });
  const newLink = await linkOfRound(2);
  expect(new URL(newLink).searchParams.get('state')).not.toBe(new URL(oldLink).searchParams.get('state'));

  const stale = await callback(await decideConsent(oldLink, 'accept'));
  expect([stale.status, stale.outcome]).toEqual([400, 'invalid']);
  await expectStillAwaiting();

  const granted = await decideConsent(newLink, 'accept');
  const ok = await callback(granted);
  expect([ok.status, ok.outcome]).toEqual([200, 'granted']);
  const grantAudit = await lastCallbackAudit();
  expect(grantAudit).toMatchObject({ outcome: 'success', tenantId: tid, details: { reason: 'granted', round: 2 } });

  const again = await callback(granted);
  expect([again.status, again.outcome]).toEqual([409, 'used']);
  expect(again.html).toContain('This link was already used');
  expect(await lastCallbackAudit()).toMatchObject({ outcome: 'denied', details: { reason: 'state-reused' } });

  const state = await waitForStage(stack.staff, tid, 'testing');
  expect(state.consent).toMatchObject({ round: 2, grantAuditEventId: String(grantAudit._id) });
  expect(state.timeline.map((e) => e.event)).toEqual(
    expect.arrayContaining(['Consent link re-issue requested (round 2)', 'Admin consent granted (link round 2)']),
  );
  // Re-issuing is over once consent is in.
  expect((await stack.staff.api('POST', `/api/staff/tenants/${tid}/reissue-consent`, {})).status).toBe(409);
});
