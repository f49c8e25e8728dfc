/**
 * Hostile SAML input, table-driven, for one connection kind per test file (hostile-kinds.ts
 * sets each kind up): every case is refused with a generic page (or the policy page), one
 * `saml.rejected` audit event with the exact reason, and no account created or changed. Each
 * case runs a fresh SP-initiated login, so only the attack itself differs.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { RejectionReason } from '../../lib/saml/rejection';
import { requestIdsOf, SAML_REQUEST_TTL_MS } from '../../lib/saml/request-ids';
import { accountSnapshot, lastRejection } from './support';
import { VICTIM, type Kind, type KindFixture } from './hostile-kinds';
import { SsoBrowser } from '../support/sso';
import { useStack, type Stack } from '../support/stack';

const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
const xmlOf = (samlResponse: string) => Buffer.from(samlResponse, 'base64').toString('utf8');
const SIGNATURES = /<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">[\s\S]*?<\/Signature>/g;
const SIGNATURE = /<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">[\s\S]*?<\/Signature>/;
/** Entra's assertion is unprefixed, Okta's `saml2:`. */
const ASSERTION = /<(?:saml2:)?Assertion [\s\S]*<\/(?:saml2:)?Assertion>/;
const ASSERTION_END = /<\/((?:saml2:)?Assertion)>$/;
const FIRST_ID = / ID="/;

interface Attack {
  name: string;
  reason: RejectionReason;
  /** Where a kind's IdP settings make the same attack fail at an earlier check. */
  reasons?: Partial<Record<Kind, RejectionReason>>;
  /** Only for these kinds (attacks on a setting the others do not have). */
  kinds?: Kind[];
  status?: number;
  gated?: boolean;
  /** Builds the POSTed SAMLResponse for a browser that has just started a login. */
  craft(b: SsoBrowser, requestId: string, fx: KindFixture): Promise<string> | string;
}

/**
 * The wrapping attacks' material: Mallory's own signed response, its signed assertion, and a
 * copy of that assertion unsigned, made out to the victim under another ID.
 */
function wrapping(b: Parameters<Attack['craft']>[0], id: string): { xml: string; signed: string; forged: string } {
  const xml = xmlOf(b.issue('mallory@contoso.example.evil.example', { inResponseTo: id }).samlResponse);
  const signed = ASSERTION.exec(xml)![0];
  const forged = signed.replace(SIGNATURE, '').replaceAll('mallory@contoso.example.evil.example', VICTIM).replace(FIRST_ID, ' ID="forged');
  return { xml, signed, forged };
}

const attacks: Attack[] = [
  {
    name: 'unsigned assertion',
    reason: 'unsigned',
    craft: (b, id) => b64(xmlOf(b.issue(VICTIM, { inResponseTo: id }).samlResponse).replace(SIGNATURES, '')),
  },
  {
    name: 'assertion signed by another key, with that key’s certificate in KeyInfo',
    reason: 'signature-invalid',
    craft: (b, id, fx) =>
      fx.attacker.issueSamlResponse({
        email: VICTIM,
        acsUrl: b.acs,
        audience: `${b.env.baseUrl}/saml/${fx.tenant.tenantId}`,
        inResponseTo: id,
        overrides: { issuer: fx.issuer, tenantIdClaim: fx.org },
      }).samlResponse,
  },
  {
    name: 'signature wrapping: forged unsigned assertion beside the signed one',
    reason: 'multiple-assertions',
    // A signed Response covers the whole document: adding anything breaks that signature first.
    reasons: { okta: 'signature-invalid' },
    craft: (b, id) => {
      const { xml, signed, forged } = wrapping(b, id);
      return b64(xml.replace(signed, forged + signed));
    },
  },
  {
    name: 'signature wrapping: forged assertion around the signed one',
    reason: 'signature-invalid',
    craft: (b, id) => {
      const { xml, signed, forged } = wrapping(b, id);
      return b64(xml.replace(signed, forged.replace(ASSERTION_END, `<Advice>${signed}</Advice></$1>`)));
    },
  },
  {
    name: 'comment injected into the signed NameID and email (a@corp<!---->.evil)',
    reason: 'xml-comment-forbidden',
    craft: (b, id) =>
      b64(
        xmlOf(b.issue('mallory@contoso.example.evil.example', { inResponseTo: id }).samlResponse).replaceAll(
          'mallory@contoso.example.evil.example',
          'mallory@contoso.example<!---->.evil.example',
        ),
      ),
  },
  {
    name: 'attribute changed after signing (a group added)',
    reason: 'signature-invalid',
    craft: (b, id) =>
      b64(
        xmlOf(b.issue(VICTIM, { inResponseTo: id }).samlResponse).replace(
          '11111111-1111-1111-1111-111111111111',
          '22222222-2222-2222-2222-222222222222',
        ),
      ),
  },
  {
    name: 'Response signed over an unsigned Assertion, when both must be signed',
    reason: 'signature-invalid',
    kinds: ['okta'],
    craft: (b, id) => b.issue(VICTIM, { inResponseTo: id, overrides: { signing: 'response' } }).samlResponse,
  },
  {
    name: 'Assertion signed inside an unsigned Response, when both must be signed',
    reason: 'signature-invalid',
    kinds: ['okta'],
    craft: (b, id) => b.issue(VICTIM, { inResponseTo: id, overrides: { signing: 'assertion' } }).samlResponse,
  },
  {
    name: 'wrong audience',
    reason: 'audience-mismatch',
    craft: (b, id) => b.issue(VICTIM, { inResponseTo: id, audience: 'https://other-sp.example/saml' }).samlResponse,
  },
  {
    name: 'wrong recipient',
    reason: 'recipient-mismatch',
    craft: (b, id) => b.issue(VICTIM, { inResponseTo: id, overrides: { recipient: 'https://other-sp.example/acs' } }).samlResponse,
  },
  {
    name: 'wrong destination',
    reason: 'destination-mismatch',
    craft: (b, id) => b.issue(VICTIM, { inResponseTo: id, overrides: { destination: 'https://other-sp.example/acs' } }).samlResponse,
  },
  {
    name: 'wrong issuer',
    reason: 'issuer-mismatch',
    craft: (b, id, fx) => b.issue(VICTIM, { inResponseTo: id, overrides: { issuer: fx.wrongIssuer } }).samlResponse,
  },
  {
    name: 'wrong issuer inside the signed assertion only (unsigned envelope fixed up)',
    reason: 'issuer-mismatch',
    // Fixing up a signed Response's Issuer breaks its signature.
    reasons: { okta: 'signature-invalid' },
    craft: (b, id, fx) => {
      const xml = xmlOf(b.issue(VICTIM, { inResponseTo: id, overrides: { issuer: fx.wrongIssuer } }).samlResponse);
      // The Response's Issuer comes first in the document.
      return b64(xml.replace(`>${fx.wrongIssuer}</`, `>${fx.issuer}</`));
    },
  },
  {
    name: 'wrong tenant (org) claim',
    reason: 'tenant-mismatch',
    craft: (b, id) =>
      b.issue(VICTIM, { inResponseTo: id, overrides: { tenantIdClaim: '00000000-0000-0000-0000-000000000bad' } }).samlResponse,
  },
  {
    name: 'expired',
    reason: 'expired',
    craft: (b, id) => b.issue(VICTIM, { inResponseTo: id, now: new Date(Date.now() - 2 * 3600_000) }).samlResponse,
  },
  {
    name: 'not yet valid',
    reason: 'not-yet-valid',
    craft: (b, id) => b.issue(VICTIM, { inResponseTo: id, overrides: { notBefore: new Date(Date.now() + 10 * 60_000) } }).samlResponse,
  },
  {
    name: 'unknown InResponseTo',
    reason: 'in-response-to-unknown',
    craft: (b) => b.issue(VICTIM, { inResponseTo: '_not-a-request-of-ours' }).samlResponse,
  },
  {
    // Our request IDs prove themselves by their MAC (lib/saml/request-ids.ts); one with a changed nonce is not ours.
    name: 'InResponseTo shaped like ours, its nonce changed',
    reason: 'in-response-to-unknown',
    craft: (b, id) =>
      b.issue(VICTIM, {
        inResponseTo: id.replace(/_([0-9a-f])([0-9a-f]{31})_/, (_m, c: string, rest: string) => `_${c === '0' ? '1' : '0'}${rest}_`),
      }).samlResponse,
  },
  {
    name: 'InResponseTo of ours, issued longer ago than a sign-in may take (15 minutes)',
    reason: 'in-response-to-unknown',
    craft: (b) =>
      b.issue(VICTIM, {
        inResponseTo: requestIdsOf(b.env.config).issue(b.tenant.tenantId, undefined, Date.now() - SAML_REQUEST_TTL_MS - 60_000),
      }).samlResponse,
  },
  { name: 'no InResponseTo (unsolicited)', reason: 'in-response-to-missing', craft: (b) => b.issue(VICTIM).samlResponse },
  {
    name: 'InResponseTo issued for another tenant',
    reason: 'in-response-to-unknown',
    craft: async (b, _id, fx) =>
      b.issue(VICTIM, { inResponseTo: (await new SsoBrowser(b.env, fx.gated).startLogin()).requestId }).samlResponse,
  },
  {
    name: 'reused InResponseTo (a second, fresh response to an answered request)',
    reason: 'in-response-to-reused',
    craft: async (b, id, fx) => {
      // The victim's own browser completed this sign-in; the attacker answers the same request again.
      expect((await new SsoBrowser(b.env, fx.tenant).postAcs(b.issue(VICTIM, { inResponseTo: id }).samlResponse)).status).toBe(303);
      return b.issue(VICTIM, { inResponseTo: id }).samlResponse;
    },
  },
  {
    name: 'replayed assertion',
    reason: 'assertion-replayed',
    craft: async (b, id, fx) => {
      // Captured from the victim's sign-in (e.g. from browser history) and posted again.
      const { samlResponse } = b.issue(VICTIM, { inResponseTo: id });
      expect((await new SsoBrowser(b.env, fx.tenant).postAcs(samlResponse)).status).toBe(303);
      return samlResponse;
    },
  },
  {
    name: 'DOCTYPE with an entity',
    reason: 'doctype-forbidden',
    craft: (b, id) =>
      b64(
        `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "${'x'.repeat(10)}">]>` + xmlOf(b.issue(VICTIM, { inResponseTo: id }).samlResponse),
      ),
  },
  { name: 'oversize body', reason: 'body-too-large', status: 413, craft: () => 'A'.repeat(300 * 1024) },
  {
    name: 'email outside the nominated domains',
    reason: 'email-outside-domains',
    status: 403,
    craft: (b, id) => b.issue('eve@outside.example', { inResponseTo: id }).samlResponse,
  },
  {
    name: 'email that only starts with a nominated domain',
    reason: 'email-outside-domains',
    status: 403,
    craft: (b, id) => b.issue('mallory@contoso.example.evil.example', { inResponseTo: id }).samlResponse,
  },
  {
    name: 'group not allowed',
    reason: 'group-not-allowed',
    status: 403,
    gated: true,
    craft: (b, id) => b.issue('gus@gated.example', { inResponseTo: id }).samlResponse,
  },
];

/** The whole table against `kind`, set up by `setUp` on this file's stack. */
export function hostileSuite(kind: Kind, setUp: (stack: Stack) => Promise<KindFixture>): void {
  const stack = useStack({ entra: true, workers: true });
  let fx: KindFixture;
  beforeAll(async () => {
    fx = await setUp(stack);
    // The victim has signed in before: an existing account an attack would want to take over.
    expect((await new SsoBrowser(stack.env, fx.tenant).signIn(VICTIM)).status).toBe(303);
  });

  const rows = attacks.filter((a) => !a.kinds || a.kinds.includes(kind)).map((a) => ({ ...a, reason: a.reasons?.[kind] ?? a.reason }));
  describe(`hostile SAML input, ${kind} connection`, () => {
    test.each(rows)('$name → $reason', async (attack) => {
      const browser = new SsoBrowser(stack.env, attack.gated ? fx.gated : fx.tenant);
      const { requestId } = await browser.startLogin();
      const samlResponse = await attack.craft(browser, requestId, fx);
      const before = await accountSnapshot();

      const res = await browser.postAcs(samlResponse);
      const page = await res.text();

      expect(res.status, page).toBe(attack.status ?? 400);
      const rejection = await lastRejection();
      expect(rejection?.reason, JSON.stringify(rejection?.details)).toBe(attack.reason);
      expect(page).toContain(rejection!.reference);
      expect(page).not.toContain(attack.reason); // the reason is for the audit, not the browser
      expect(await accountSnapshot()).toEqual(before);
      expect(await browser.whoAmI()).toBeUndefined();
    });
  });
}
