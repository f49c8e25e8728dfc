/**
 * Hostile SAML input, table-driven: every case is refused with a generic page (or the policy
 * page), one `saml.rejected` audit event with the exact reason, and no account created or
 * changed. Each case runs a fresh SP-initiated login, so only the attack itself differs.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { EmulatedTenant } from '../../emulator';
import type { RejectionReason } from '../../lib/saml/rejection';
import { accountSnapshot, lastRejection } from './support';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ entra: true, workers: true });
let tenant: SsoTenant;
let gated: SsoTenant;
let attacker: EmulatedTenant;

const VICTIM = 'victim@contoso.example';
const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
const xmlOf = (samlResponse: string) => Buffer.from(samlResponse, 'base64').toString('utf8');
const SIGNATURE = /<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">[\s\S]*?<\/Signature>/;
const ASSERTION = /<Assertion [\s\S]*<\/Assertion>/;

beforeAll(async () => {
  tenant = await connectTenant(stack, { domains: ['contoso.example'] });
  tenant.emulated.addUser({ email: VICTIM, groups: ['11111111-1111-1111-1111-111111111111'] });
  tenant.emulated.addUser({ email: 'mallory@contoso.example.evil.example' });
  tenant.emulated.addUser({ email: 'eve@outside.example' });
  gated = await connectTenant(stack, {
    name: 'Gated',
    domains: ['gated.example'],
    allowedGroups: ['22222222-2222-2222-2222-222222222222'],
  });
  gated.emulated.addUser({ email: 'gus@gated.example', groups: ['33333333-3333-3333-3333-333333333333'] });
  // Another Entra tenant, whose admin controls its keys and users: it can sign anything.
  attacker = stack.entra.emulator.createTenant({ name: 'Attacker' });
  attacker.addUser({ email: VICTIM });
  // The victim has signed in before: an existing account an attack would want to take over.
  expect((await new SsoBrowser(stack.env, tenant).signIn(VICTIM)).status).toBe(303);
});

interface Attack {
  name: string;
  reason: RejectionReason;
  status?: number;
  tenant?: () => SsoTenant;
  /** Builds the POSTed SAMLResponse for a browser that has just started a login. */
  craft(b: SsoBrowser, requestId: string): Promise<string> | string;
}

const attacks: Attack[] = [
  {
    name: 'unsigned assertion',
    reason: 'unsigned',
    craft: (b, id) => b64(xmlOf(b.issue(VICTIM, { inResponseTo: id }).samlResponse).replace(SIGNATURE, '')),
  },
  {
    name: 'assertion signed by another key, with that key’s certificate in KeyInfo',
    reason: 'signature-invalid',
    craft: (b, id) =>
      attacker.issueSamlResponse({
        email: VICTIM,
        acsUrl: b.acs,
        audience: `${stack.env.baseUrl}/saml/${tenant.tenantId}`,
        inResponseTo: id,
        overrides: { issuer: `https://sts.windows.net/${tenant.tenantId}/`, tenantIdClaim: tenant.tenantId },
      }).samlResponse,
  },
  {
    name: 'signature wrapping: forged unsigned assertion beside the signed one',
    reason: 'multiple-assertions',
    craft: (b, id) => {
      const xml = xmlOf(b.issue('mallory@contoso.example.evil.example', { inResponseTo: id }).samlResponse);
      const signed = ASSERTION.exec(xml)![0];
      const forged = signed
        .replace(SIGNATURE, '')
        .replaceAll('mallory@contoso.example.evil.example', VICTIM)
        .replace(/ID="_/, 'ID="_forged');
      return b64(xml.replace(signed, forged + signed));
    },
  },
  {
    name: 'signature wrapping: forged assertion around the signed one',
    reason: 'signature-invalid',
    craft: (b, id) => {
      const xml = xmlOf(b.issue('mallory@contoso.example.evil.example', { inResponseTo: id }).samlResponse);
      const signed = ASSERTION.exec(xml)![0];
      const forged = signed
        .replace(SIGNATURE, '')
        .replaceAll('mallory@contoso.example.evil.example', VICTIM)
        .replace(/ID="_/, 'ID="_forged');
      return b64(xml.replace(signed, forged.replace('</Assertion>', `<Advice>${signed}</Advice></Assertion>`)));
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
    name: 'attribute changed after signing',
    reason: 'signature-invalid',
    craft: (b, id) =>
      b64(
        xmlOf(b.issue(VICTIM, { inResponseTo: id }).samlResponse).replace(
          '<AttributeValue>victim</AttributeValue>',
          '<AttributeValue>Administrator</AttributeValue>',
        ),
      ),
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
    craft: (b, id) =>
      b.issue(VICTIM, { inResponseTo: id, overrides: { issuer: 'https://sts.windows.net/00000000-0000-0000-0000-000000000bad/' } })
        .samlResponse,
  },
  {
    name: 'wrong issuer inside the signed assertion only (unsigned envelope fixed up)',
    reason: 'issuer-mismatch',
    craft: (b, id) => {
      const wrong = 'https://sts.windows.net/00000000-0000-0000-0000-000000000bad/';
      const xml = xmlOf(b.issue(VICTIM, { inResponseTo: id, overrides: { issuer: wrong } }).samlResponse);
      return b64(
        xml.replace(
          `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${wrong}`,
          `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">https://sts.windows.net/${tenant.tenantId}/`,
        ),
      );
    },
  },
  {
    name: 'wrong tenantid claim',
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
  { name: 'no InResponseTo (unsolicited)', reason: 'in-response-to-missing', craft: (b) => b.issue(VICTIM).samlResponse },
  {
    name: 'InResponseTo issued for another tenant',
    reason: 'in-response-to-unknown',
    craft: async (b) => b.issue(VICTIM, { inResponseTo: (await new SsoBrowser(stack.env, gated).startLogin()).requestId }).samlResponse,
  },
  {
    name: 'reused InResponseTo (a second, fresh response to an answered request)',
    reason: 'in-response-to-reused',
    craft: async (b, id) => {
      // The victim's own browser completed this sign-in; the attacker answers the same request again.
      expect((await new SsoBrowser(stack.env, tenant).postAcs(b.issue(VICTIM, { inResponseTo: id }).samlResponse)).status).toBe(303);
      return b.issue(VICTIM, { inResponseTo: id }).samlResponse;
    },
  },
  {
    name: 'replayed assertion',
    reason: 'assertion-replayed',
    craft: async (b, id) => {
      // Captured from the victim's sign-in (e.g. from browser history) and posted again.
      const { samlResponse } = b.issue(VICTIM, { inResponseTo: id });
      expect((await new SsoBrowser(stack.env, tenant).postAcs(samlResponse)).status).toBe(303);
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
    tenant: () => gated,
    craft: (b, id) => b.issue('gus@gated.example', { inResponseTo: id }).samlResponse,
  },
];

describe('hostile SAML input', () => {
  test.each(attacks)('$name → $reason', async (attack) => {
    const browser = new SsoBrowser(stack.env, attack.tenant?.() ?? tenant);
    const { requestId } = await browser.startLogin();
    const samlResponse = await attack.craft(browser, requestId);
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
