/** The Test page's hints, per kind of IdP: every refusal reason has one for every kind, in that IdP's own words. */
import { describe, expect, test } from 'vitest';
import type { ConnectionKind } from '../../lib/contracts/connection-template';
import { IDP_TERMS } from '../../lib/portal/idp-terms';
import { REFUSAL_HINTS, refusalHint } from '../../lib/portal/refusal-hints';
import { REJECTION_REASONS } from '../../lib/saml/rejection';

const KINDS = Object.keys(IDP_TERMS) as ConnectionKind[];

test('every refusal reason has a written-out hint for every kind of IdP', () => {
  expect(KINDS.sort()).toEqual(['entra', 'okta', 'saml']);
  expect(Object.keys(REFUSAL_HINTS).sort()).toEqual([...REJECTION_REASONS].sort());
  for (const reason of REJECTION_REASONS)
    for (const kind of KINDS) {
      const hint = refusalHint(reason, kind);
      expect(hint, `${reason} for ${kind}`).toMatch(/^[A-Z].{20,}[.)]$/);
      expect(hint, `${reason} for ${kind}`).not.toMatch(/undefined|\$\{/);
    }
});

test('an Okta admin is told what to change in Okta, a generic SAML admin at their IdP, and neither is sent to Entra', () => {
  const others = (['okta', 'saml'] as const).flatMap((kind) => REJECTION_REASONS.map((r) => refusalHint(r, kind)!));
  for (const hint of others) expect(hint).not.toMatch(/\bEntra\b|Microsoft|My Apps|Conditional Access/);

  expect(refusalHint('audience-mismatch', 'entra')).toBe(
    'The assertion is for another application: in Entra: Single sign-on → Basic SAML Configuration, set Identifier (Entity ID) to the SP entity ID on the Connect page.',
  );
  expect(refusalHint('audience-mismatch', 'okta')).toBe(
    'The assertion is for another application: in Okta: the app → General → SAML Settings, set Audience URI (SP Entity ID) to the SP entity ID on the Connect page.',
  );
  expect(refusalHint('audience-mismatch', 'saml')).toContain('set the relying party identifier (SP entity ID) to the SP entity ID');
  expect(refusalHint('recipient-mismatch', 'okta')).toContain(
    'set Single sign-on URL (with "Use this for Recipient URL and Destination URL" ticked)',
  );
  expect(refusalHint('unsigned', 'okta')).toContain('set Response and Assertion Signature to "Signed"');
  expect(refusalHint('unsigned', 'entra')).toContain('set Signing Option to "Sign SAML assertion"');
  expect(refusalHint('claims-incomplete', 'okta')).toContain('email (user.email) and userId (user.id)');
  expect(refusalHint('idp-error-status', 'okta')).toBe(
    'Okta refused the sign-in itself (see the message): check that the test user is assigned to the app (Okta: the app → Assignments).',
  );
  expect(refusalHint('tenant-mismatch', 'saml')).toContain('organisation attribute');
  expect(refusalHint('groups-lookup-failed', 'entra')).toContain('Microsoft Graph');
});

describe('a reason the hints do not know', () => {
  test.each([null, undefined, '', 'no-such-reason', 'constructor'])('%s has no hint', (reason) => {
    expect(refusalHint(reason, 'okta')).toBeUndefined();
  });
});
