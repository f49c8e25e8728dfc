import { describe, expect, test } from 'vitest';
import { signConsentState, verifyConsentState } from '../../lib/onboarding/consent-state';
import { emptyChecklist, isWellFormedEvidence, missingMandatory, recordEvidence } from '../../lib/contracts/onboarding-checklist';
import { domainProblem, emailProblem, tenantIdProblem } from '../../lib/contracts/onboarding-input';
import { evidence } from './support';

describe('Entra tenant IDs', () => {
  test.each([
    ['common', /"common" is a sign-in alias, not a tenant/],
    ['Organizations', /"organizations" is a sign-in alias/],
    ['consumers', /personal Microsoft account alias/],
    ['9188040d-6c67-4c5b-b112-36a304b66dad', /consumer \(personal Microsoft account\) tenant/],
    ['00000000-0000-0000-0000-000000000000', /nil GUID/],
    ['contoso.onmicrosoft.com', /must be a GUID/],
    ['6e89e984-81f7-4e1d-b40b-d638ccf7c2b', /must be a GUID/],
    ['6e89e984-81f7-4e1d-b40b-d638ccf7c2b0/../x', /must be a GUID/],
    ['', /required/],
  ])('%j is refused', (value, reason) => {
    expect(tenantIdProblem(value)).toMatch(reason);
  });
  test('a GUID in any case is accepted', () => {
    expect(tenantIdProblem('6E89E984-81F7-4E1D-B40B-D638CCF7C2B0')).toBeUndefined();
  });
});

describe('SSO domains', () => {
  test.each([
    ['gmail.com', /public mail domain \(gmail\.com\)/],
    ['Outlook.com', /public mail domain \(outlook\.com\)/],
    ['hotmail.com', /public mail domain/],
    ['yahoo.com', /public mail domain/],
    ['icloud.com', /public mail domain/],
    ['proton.me', /public mail domain/],
    ['mail.gmail.com', /public mail domain \(gmail\.com\)/],
    ['onmicrosoft.com', /public mail domain/],
    ['localhost', /not a valid domain name/],
    ['contoso', /not a valid domain name/],
    ['-contoso.com', /not a valid domain name/],
    ['contoso..com', /not a valid domain name/],
    ['contoso.com/evil', /not a valid domain name/],
    ['10.0.0.1', /not a valid domain name/],
    ['bücher.de', /not a valid domain name \(use the punycode form/],
    ['', /required/],
  ])('%j is refused', (value, reason) => {
    expect(domainProblem(value)).toMatch(reason);
  });
  test.each(['contoso.com', 'Contoso.COM.', 'eu.contoso.co.uk', 'xn--bcher-kva.de', 'contoso.onmicrosoft.com'])(
    '%j is accepted',
    (value) => {
      expect(domainProblem(value)).toBeUndefined();
    },
  );
  test('admin emails need a real domain', () => {
    expect(emailProblem('it@contoso.com')).toBeUndefined();
    expect(emailProblem('it@contoso')).toMatch(/not a valid domain/);
    expect(emailProblem('not an email')).toMatch(/is not an email address/);
  });
});

describe('admin-consent state', () => {
  const secret = 'x'.repeat(40);
  const tid = '6e89e984-81f7-4e1d-b40b-d638ccf7c2b0';
  test('round-trips, and any change or another secret is refused', () => {
    const state = signConsentState(secret, tid.toUpperCase(), 'nonce123');
    expect(verifyConsentState(secret, state)).toEqual({ tenantId: tid, nonce: 'nonce123' });
    expect(verifyConsentState('y'.repeat(40), state)).toBeUndefined();
    expect(verifyConsentState(secret, state.replace('nonce123', 'nonce124'))).toBeUndefined();
    expect(verifyConsentState(secret, state.replace(tid, '0b1c7f56-3a55-4c3e-9f0e-5a4c3f1e2d10'))).toBeUndefined();
    expect(verifyConsentState(secret, `${state}.x`)).toBeUndefined();
    expect(verifyConsentState(secret, undefined)).toBeUndefined();
  });
});

describe('test checklist', () => {
  test('mandatory items are missing until evidence arrives; malformed evidence is not evidence', () => {
    const list = emptyChecklist();
    expect(missingMandatory(list)).toEqual(['auto-provisioning', 'account-migration', 'account-recreation']);
    recordEvidence(list, evidence('account-migration', 'a@contoso.example'));
    recordEvidence(list, evidence('group-gate', 'b@contoso.example'));
    expect(missingMandatory(list)).toEqual(['auto-provisioning', 'account-recreation']);
    expect(isWellFormedEvidence({ ...evidence('auto-provisioning', 'a@x.example'), item: 'made-up' })).toBe(false);
    expect(isWellFormedEvidence({ ...evidence('auto-provisioning', 'a@x.example'), at: 'yesterday' })).toBe(false);
    expect(isWellFormedEvidence({ item: 'auto-provisioning' })).toBe(false);
  });
});
