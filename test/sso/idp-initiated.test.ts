/**
 * IdP-initiated sign-in (from Entra's My Apps), opted in per tenancy by staff: the response
 * answers no request, so the assertion-ID claim is the only single-use guard, the RelayState
 * is kept only when it is a same-site path, and every other check still holds. A signed-in
 * user who receives someone else's unsolicited assertion (login CSRF) is asked, never switched.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { EmulatedTenant } from '../../emulator';
import { AuditEventModel, HeldSignInModel, TenantModel } from '../../lib/models';
import type { RejectionReason } from '../../lib/saml/rejection';
import { spEntityId } from '../../lib/saml/sp-urls';
import { accountSnapshot, lastRejection } from './support';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { HttpClient } from '../support/http-client';
import { useStack } from '../support/stack';

const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test' });
let t: SsoTenant;
let attacker: EmulatedTenant;

const ALEX = 'alex@idp.example';
const MALLORY = 'mallory@idp.example';
const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
const xmlOf = (samlResponse: string) => Buffer.from(samlResponse, 'base64').toString('utf8');
const unescape = (v: string) =>
  v
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const setPolicy = (tid: string, body: unknown) => stack.staff.api('POST', `/api/staff/tenants/${tid}/sso-policy`, body);

beforeAll(async () => {
  t = await connectTenant(stack, { domains: ['idp.example'] });
  t.emulated.addUser({ email: ALEX });
  t.emulated.addUser({ email: MALLORY });
  attacker = stack.entra.emulator.createTenant({ name: 'Attacker' });
  attacker.addUser({ email: ALEX });
});

/** A person clicking the Entrada tile in My Apps: the emulator's sign-in page, then its auto-post form. */
async function launchFromMyApps(email: string, relayState?: string): Promise<{ samlResponse: string; relayState?: string }> {
  const entityId = spEntityId(stack.env.config, t.tenantId);
  t.emulated.registerApplication({ entityId, ...(relayState !== undefined ? { relayState } : {}) });
  const entra = new HttpClient(stack.entra.url);
  const signInPage = await (await entra.get(t.emulated.myAppsUrl(entityId))).text();
  const ctx = /name="ctx" value="([^"]+)"/.exec(signInPage)![1];
  const posted = await (
    await entra.request('POST', `${stack.entra.url}/${t.tenantId}/saml2/login`, {
      body: new URLSearchParams({ ctx, email }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
  ).text();
  const relay = /name="RelayState" value="([^"]*)"/.exec(posted)?.[1];
  return {
    samlResponse: /name="SAMLResponse" value="([^"]+)"/.exec(posted)![1],
    ...(relay !== undefined ? { relayState: unescape(relay) } : {}),
  };
}

/** Posts the ACS, then follows its redirect to the same-site step (where the session cookie comes). */
async function arrive(browser: SsoBrowser, samlResponse: string, relayState?: string): Promise<{ res: Response; path: string }> {
  const acs = await browser.postAcs(samlResponse, relayState);
  expect(acs.status, await acs.clone().text()).toBe(303);
  const path = acs.headers.get('location')!;
  expect(path).toMatch(new RegExp(`^/saml/${t.tenantId}/idp/[A-Za-z0-9_.-]{43,2048}$`));
  return { res: await browser.http.get(path, { redirect: 'manual' }), path };
}

test('refused until staff opt the tenancy in; then a My Apps launch signs in and lands on the configured relay state', async () => {
  const before = await accountSnapshot();
  const early = await launchFromMyApps(ALEX, '/files');
  const refused = await new SsoBrowser(stack.env, t).postAcs(early.samlResponse, early.relayState);
  expect(refused.status).toBe(400);
  expect((await lastRejection())?.reason).toBe('in-response-to-missing');
  expect(await accountSnapshot()).toEqual(before);

  expect((await setPolicy(t.tenantId, { allowIdpInitiated: 'yes' })).status).toBe(400);
  expect((await setPolicy(t.tenantId, { allowIdpInitiated: true })).body).toEqual({ allowIdpInitiated: true });
  expect(await AuditEventModel.findOne({ action: 'sso.policy.idp-initiated', tenantId: t.tenantId }).lean()).toMatchObject({
    actor: { kind: 'staff', email: 'sam@entrada.test' },
    details: { allowIdpInitiated: true },
  });

  const alex = new SsoBrowser(stack.env, t);
  const { samlResponse, relayState } = await launchFromMyApps(ALEX, '/files');
  expect(relayState).toBe('/files');
  const { res: landed, path } = await arrive(alex, samlResponse, relayState);
  expect(landed.status).toBe(303);
  expect(landed.headers.get('location')).toBe('/files');
  expect(await alex.whoAmI()).toBe(ALEX);
  const signedIn = await AuditEventModel.findOne({ action: 'sso.signed-in', 'actor.email': ALEX }).sort({ at: -1 }).lean();
  expect(signedIn?.details).toMatchObject({ idpInitiated: true });

  // The same-site step is single-use, and the same response cannot be used again: posted again
  // it is held like any unsolicited response, and its step is refused as a replay.
  expect((await new SsoBrowser(stack.env, t).http.get(path, { redirect: 'manual' })).status).toBe(400);
  expect((await lastRejection())?.reason).toBe('assertion-replayed');
  const replayer = new SsoBrowser(stack.env, t);
  expect((await arrive(replayer, samlResponse)).res.status).toBe(400);
  expect((await lastRejection())?.reason).toBe('assertion-replayed');
  expect(await replayer.whoAmI()).toBeUndefined();

  // The staff page shows the setting and switches it back off with its own form.
  expect(await (await stack.staff.get(`/staff/tenants/${t.tenantId}`)).text()).toContain('id="idp-initiated-policy">accepted');
  expect(
    (await stack.staff.postForm(`/staff/tenants/${t.tenantId}/sso-policy`, { allowIdpInitiated: 'false' }, { redirect: 'manual' })).status,
  ).toBe(303);
  expect(await TenantModel.findOne({ tenantId: t.tenantId }, { allowIdpInitiated: 1, requireMfa: 1 }).lean()).toMatchObject({
    allowIdpInitiated: false,
    requireMfa: false,
  });
});

test.each([
  ['https://evil.example/steal', '/'],
  ['//evil.example/steal', '/'],
  ['/hubs?tab=mine', '/hubs?tab=mine'],
])('RelayState %s lands on %s', async (relay, expected) => {
  await TenantModel.updateOne({ tenantId: t.tenantId }, { $set: { allowIdpInitiated: true }, $inc: { configVersion: 1 } });
  const browser = new SsoBrowser(stack.env, t);
  const { samlResponse, relayState } = await launchFromMyApps(ALEX, relay);
  const { res: landed } = await arrive(browser, samlResponse, relayState);
  expect(landed.headers.get('location')).toBe(expected);
});

describe('login CSRF: an unsolicited assertion in a signed-in browser', () => {
  test('someone else’s is held on a page that asks; only its own form (CSRF token) switches, and both are audited', async () => {
    await TenantModel.updateOne({ tenantId: t.tenantId }, { $set: { allowIdpInitiated: true }, $inc: { configVersion: 1 } });
    const victim = new SsoBrowser(stack.env, t);
    expect((await victim.signIn(ALEX)).status).toBe(303);
    expect(await victim.whoAmI()).toBe(ALEX);

    // Mallory's own valid assertion, posted into Alex's browser by Mallory's page.
    const { samlResponse } = await launchFromMyApps(MALLORY);
    const { res: held, path: heldPath } = await arrive(victim, samlResponse);
    expect(held.status).toBe(200);
    const page = await held.text();
    expect(page).toContain('Switch account?');
    expect(page).toContain(MALLORY);
    expect(await victim.whoAmI()).toBe(ALEX);
    expect(await AuditEventModel.findOne({ action: 'sso.idp-initiated.held', tenantId: t.tenantId }).sort({ at: -1 }).lean()).toMatchObject(
      {
        outcome: 'denied',
        actor: { email: ALEX },
        details: { incomingEmail: MALLORY },
      },
    );

    // A cross-site POST to the same address carries no token: refused, nothing switched.
    const forged = await victim.http.request('POST', heldPath, {
      body: new URLSearchParams({}),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    expect(await victim.whoAmI()).toBe(ALEX);

    // The person chooses to continue on the page itself.
    expect(page).toContain(`action="${heldPath}"`);
    const switched = await victim.http.postForm(heldPath, {}, { redirect: 'manual' });
    expect(switched.status).toBe(303);
    expect(await victim.whoAmI()).toBe(MALLORY);
    expect(await AuditEventModel.exists({ action: 'sso.idp-initiated.switched', tenantId: t.tenantId, 'actor.email': ALEX })).toBeTruthy();
  });

  test('the same person’s signs in again without asking', async () => {
    const alex = new SsoBrowser(stack.env, t);
    expect((await alex.signIn(ALEX)).status).toBe(303);
    const { res: landed } = await arrive(alex, (await launchFromMyApps(ALEX)).samlResponse);
    expect(landed.status).toBe(303);
    expect(await alex.whoAmI()).toBe(ALEX);
  });
});

describe('the held sign-in between the ACS and the same-site step', () => {
  test('sealed in its address: no row; altered it is gone; two tabs racing finish it once, the other refused as a replay', async () => {
    await TenantModel.updateOne({ tenantId: t.tenantId }, { $set: { allowIdpInitiated: true }, $inc: { configVersion: 1 } });
    const browser = new SsoBrowser(stack.env, t);
    const acs = await browser.postAcs(browser.issue(ALEX).samlResponse);
    const path = acs.headers.get('location')!;
    expect(path.split('/').pop()).toMatch(/^[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(await HeldSignInModel.countDocuments({ tenantId: t.tenantId })).toBe(0);
    const altered = path.slice(0, -2) + (path.endsWith('AA') ? 'BA' : 'AA');
    expect((await browser.http.get(altered, { redirect: 'manual' })).status).toBe(404);
    const [one, two] = await Promise.all([0, 1].map(() => new SsoBrowser(stack.env, t).http.get(path, { redirect: 'manual' })));
    expect([one!.status, two!.status].sort()).toEqual([303, 400]);
  });

  test('too large for an address (a user in many groups): held in a row, finished once', async () => {
    const many = Array.from({ length: 120 }, (_, i) => `0000${i}`.slice(-4).padStart(36, 'a1b2c3d4-e5f6-4a7b-8c9d-'));
    t.emulated.setGroups(ALEX, many);
    try {
      const browser = new SsoBrowser(stack.env, t);
      const acs = await browser.postAcs(browser.issue(ALEX).samlResponse);
      const path = acs.headers.get('location')!;
      expect(path.split('/').pop()).toMatch(/^[\w-]{43}$/);
      expect(await HeldSignInModel.countDocuments({ tenantId: t.tenantId })).toBe(1);
      const [one, two] = await Promise.all([0, 1].map(() => new SsoBrowser(stack.env, t).http.get(path, { redirect: 'manual' })));
      expect([one!.status, two!.status].sort()).toEqual([303, 400]);
      expect((await lastRejection())?.reason).toBe('assertion-replayed');
      // The spent row waits for the expiry sweep; its claim refuses it meanwhile.
      expect((await new SsoBrowser(stack.env, t).http.get(path, { redirect: 'manual' })).status).toBe(400);
    } finally {
      t.emulated.setGroups(ALEX, []);
    }
  });
});

/** Hostile input on the unsolicited path: each refused with its exact reason, no account changed. */
const attacks: {
  name: string;
  reason: RejectionReason;
  /** Refused at the same-site step, after the ACS held it (the assertion's claim is won there). */
  atStep?: true;
  craft(b: SsoBrowser): Promise<string> | string;
}[] = [
  {
    name: 'replayed unsolicited assertion',
    reason: 'assertion-replayed',
    atStep: true,
    craft: async (b) => {
      const { samlResponse } = b.issue(ALEX);
      expect((await arrive(new SsoBrowser(stack.env, t), samlResponse)).res.status).toBe(303); // its first use signs in
      return samlResponse;
    },
  },
  {
    name: 'wrong audience',
    reason: 'audience-mismatch',
    craft: (b) => b.issue(ALEX, { audience: 'https://other-sp.example/saml' }).samlResponse,
  },
  {
    name: 'wrong recipient',
    reason: 'recipient-mismatch',
    craft: (b) => b.issue(ALEX, { overrides: { recipient: 'https://other-sp.example/acs' } }).samlResponse,
  },
  {
    name: 'wrong tenantid claim',
    reason: 'tenant-mismatch',
    craft: (b) => b.issue(ALEX, { overrides: { tenantIdClaim: '00000000-0000-0000-0000-000000000bad' } }).samlResponse,
  },
  {
    name: 'signed by another tenant claiming to be this one',
    reason: 'signature-invalid',
    craft: (b) =>
      attacker.issueSamlResponse({
        email: ALEX,
        acsUrl: b.acs,
        audience: spEntityId(stack.env.config, t.tenantId),
        overrides: { issuer: `https://sts.windows.net/${t.tenantId}/`, tenantIdClaim: t.tenantId },
      }).samlResponse,
  },
  { name: 'expired', reason: 'expired', craft: (b) => b.issue(ALEX, { now: new Date(Date.now() - 2 * 3600_000) }).samlResponse },
  {
    // node-saml#433: the unsigned envelope names a request the attacker started; the signed assertion answers none.
    name: 'unsolicited assertion wrapped in a response to the attacker’s own request',
    reason: 'in-response-to-mismatch',
    craft: async (b) => {
      const { requestId } = await new SsoBrowser(stack.env, t).startLogin();
      return b64(xmlOf(b.issue(ALEX).samlResponse).replace('<samlp:Response ', `<samlp:Response InResponseTo="${requestId}" `));
    },
  },
  {
    name: 'solicited assertion with the envelope’s InResponseTo stripped',
    reason: 'in-response-to-missing',
    craft: async (b) => {
      const { requestId } = await new SsoBrowser(stack.env, t).startLogin();
      return b64(xmlOf(b.issue(ALEX, { inResponseTo: requestId }).samlResponse).replace(` InResponseTo="${requestId}">`, '>'));
    },
  },
];

describe('hostile SAML input, IdP-initiated', () => {
  test.each(attacks)('$name → $reason', async (attack) => {
    await TenantModel.updateOne({ tenantId: t.tenantId }, { $set: { allowIdpInitiated: true }, $inc: { configVersion: 1 } });
    const browser = new SsoBrowser(stack.env, t);
    const samlResponse = await attack.craft(browser);
    const before = await accountSnapshot();
    const res = attack.atStep ? (await arrive(browser, samlResponse)).res : await browser.postAcs(samlResponse);
    const page = await res.text();
    expect(res.status, page).toBe(400);
    const rejection = await lastRejection();
    expect(rejection?.reason, JSON.stringify(rejection?.details)).toBe(attack.reason);
    expect(page).toContain(rejection!.reference);
    expect(await accountSnapshot()).toEqual(before);
    expect(await browser.whoAmI()).toBeUndefined();
  });
});
