import { X509Certificate } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { AuditEventModel, SsoTestRunModel, TenantModel, UserModel } from '../../lib/models';
import { acsUrl, spEntityId } from '../../lib/saml/sp-urls';
import { HttpClient } from '../support/http-client';
import { onboardingState, onboardToTesting } from '../onboarding/support';
import { createUser, signedIn, withCsrf } from '../support/people';
import { useStack } from '../support/stack';
import type { PortalTestReport } from '../../lib/portal/test-report';

/**
 * The portal's Connect and Test pages against a real onboarding and the Entra emulator: who
 * reaches them (every person × tenancy cell), the metadata import through the onboarding's own
 * Update (audited with the admin as actor; bad XML changes nothing), and test sign-ins whose
 * outcome, success or the exact refusal with what to change, comes back to the admin, who stays
 * signed in as themselves.
 */
const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test' });
const WHO = ['adminA', 'adminB', 'plainA', 'staff', 'anonymous'] as const;
type Who = (typeof WHO)[number];
const clients = {} as Record<Who, HttpClient>;
const tenancy = { A: '', B: '' };
const NAMES = { A: 'Alpine Ski House', B: 'Bellows College' } as const;
let adminAId = '';

beforeAll(async () => {
  tenancy.A = await onboardToTesting(stack, { name: NAMES.A, admin: 'it@alpine.example', domains: ['alpine.example'] });
  tenancy.B = await onboardToTesting(stack, { name: NAMES.B, admin: 'it@bellows.example', domains: ['bellows.example'] });
  adminAId = String((await createUser({ email: 'ada@admins.test', tenantAdminOf: [tenancy.A] }))._id);
  await createUser({ email: 'ben@admins.test', tenantAdminOf: [tenancy.B] });
  await createUser({ email: 'pat@users.test', tenantId: tenancy.A });
  clients.adminA = await signedIn(stack.env.baseUrl, 'ada@admins.test');
  clients.adminB = await signedIn(stack.env.baseUrl, 'ben@admins.test');
  clients.plainA = await signedIn(stack.env.baseUrl, 'pat@users.test');
  clients.staff = stack.staff;
  // With a CSRF token, so that its POSTs are turned away for who it is, not for a missing token.
  clients.anonymous = await withCsrf(new HttpClient(stack.env.baseUrl));
  for (const [tid, name] of [
    [tenancy.A, 'tess@alpine.example'],
    [tenancy.B, 'tess@bellows.example'],
  ]) {
    stack.entra.emulator.getTenant(tid)!.addUser({ email: name });
  }
}, 120_000);

/** Status per person and tenancy: `shown` for that tenancy's admin and staff, 404 for anyone else, 303 to sign in. */
const cell = (shown: number) => (who: Who, t: 'A' | 'B') =>
  who === 'anonymous' ? 303 : who === 'staff' || who === `admin${t}` ? shown : 404;

const ROUTES = [
  { route: 'Connect page', method: 'GET', path: (t: string) => `/portal/${t}/connect`, status: cell(200) },
  { route: 'Test page', method: 'GET', path: (t: string) => `/portal/${t}/test`, status: cell(200) },
  { route: 'test report (JSON)', method: 'GET', path: (t: string) => `/portal/${t}/test/report.json`, status: cell(200) },
  { route: 'test report (HTML)', method: 'GET', path: (t: string) => `/portal/${t}/test/report.html`, status: cell(200) },
  // Bad XML reaches the onboarding's validator and comes back refused: proof the request got through.
  { route: 'metadata upload', method: 'POST', path: (t: string) => `/portal/${t}/connect/upload-metadata`, status: cell(422) },
  // A test sign-in goes to the IdP.
  { route: 'test sign-in', method: 'POST', path: (t: string) => `/portal/${t}/test/sign-in`, status: cell(302) },
] as const;

const cells = ROUTES.flatMap((r) => WHO.flatMap((who) => (['A', 'B'] as const).map((t) => ({ ...r, who, t, expected: r.status(who, t) }))));

describe('portal Connect and Test access', () => {
  test.each(cells)('$method $route of $t, as $who: $expected', async ({ method, path, who, t, expected }) => {
    const client = clients[who];
    const url = path(tenancy[t]);
    const res =
      method === 'GET'
        ? await client.get(url, { redirect: 'manual' })
        : await client.postForm(url, { xml: '<not-xml' }, { redirect: 'manual' });
    const body = await res.text();
    expect(res.status, body.slice(0, 300)).toBe(expected);
    if (expected === 303) expect(res.headers.get('location')).toBe(`/signin?next=${encodeURIComponent(url)}`);
    if (expected === 302) expect(res.headers.get('location')).toContain(stack.entra.emulator.getTenant(tenancy[t])!.ssoUrl());
    // Only what is shown names the tenancy; a hidden one says nothing about it.
    if (expected === 200 || expected === 422) expect(body).toContain(NAMES[t]);
    else expect(body).not.toContain(NAMES[t]);
  });
});

const A = () => tenancy.A;
const adminEvents = (action: string) => AuditEventModel.find({ action, tenantId: A(), 'actor.userId': adminAId }).sort({ at: 1 }).lean();

describe('Connect', () => {
  test('shows our SP values, the metadata download, the Entra steps, and the certificates with their SHA-256 thumbprint and expiry', async () => {
    expect((await clients.adminA.get(`/portal/${A()}/connect`)).status).toBe(200);
    const html = clients.adminA.lastHtml;
    const config = stack.env.config;
    expect(html).toContain(`<code>${spEntityId(config, A())}</code>`);
    expect(html).toContain(`<code>${acsUrl(config, A())}</code>`);
    expect(html).toContain(`<code>${spEntityId(config, A())}/slo</code>`);
    expect(html).toMatch(new RegExp(`id="sp-metadata" href="${spEntityId(config, A())}/metadata"`));
    expect(html).toContain('Enterprise applications → New application');
    const cert = stack.entra.emulator
      .getTenant(A())!
      .signingCertificates()
      .find((c) => c.active)!;
    const sha256 = new X509Certificate(cert.certPem).fingerprint256;
    expect(html).toMatch(new RegExp(`<tr data-sha256="${sha256}" data-expiring="false"><td><code class="thumbprint">${sha256}</code>`));
    expect(html).not.toContain('id="certificate-warning"');
    // The download is our SP metadata for this tenancy.
    const metadata = await clients.adminA.get(`/saml/${A()}/metadata`);
    expect(await metadata.text()).toContain(`entityID="${spEntityId(config, A())}"`);
  });

  test('bad XML gets a clear error on the page and changes nothing', async () => {
    const before = await TenantModel.findOne({ tenantId: A() }).lean();
    const res = await clients.adminA.postForm(`/portal/${A()}/connect/upload-metadata`, {
      xml: '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"',
    });
    expect(res.status).toBe(422);
    expect(clients.adminA.lastHtml).toMatch(/class="notice error"[^>]*>[^<]*the metadata is not well-formed XML/);
    const after = await TenantModel.findOne({ tenantId: A() }).lean();
    expect(after!.configVersion).toBe(before!.configVersion);
    expect(after!.saml).toEqual(before!.saml);
    const refused = (await adminEvents('onboarding.metadata.import')).filter((e) => e.outcome === 'failure');
    expect(refused.at(-1)?.actor).toMatchObject({ kind: 'user', userId: adminAId, email: 'ada@admins.test' });
  });

  test("uploaded metadata and metadata fetched by app ID go through the onboarding's Update, audited with the admin as actor", async () => {
    const emulated = stack.entra.emulator.getTenant(A())!;
    const xml = await (await fetch(emulated.metadataUrl())).text();
    const uploaded = await clients.adminA.postForm(`/portal/${A()}/connect/upload-metadata`, { xml }, { redirect: 'manual' });
    expect(uploaded.status).toBe(303);
    expect(uploaded.headers.get('location')).toBe(`/portal/${A()}/connect?done=upload-metadata`);
    await clients.adminA.get(uploaded.headers.get('location')!);
    expect(clients.adminA.lastHtml).toContain('Metadata imported.');
    const fetched = await clients.adminA.postForm(`/portal/${A()}/connect/fetch-metadata`, { appId: '' }, { redirect: 'manual' });
    expect(fetched.status).toBe(303);

    const imports = (await adminEvents('onboarding.metadata.import')).filter((e) => e.outcome === 'success');
    expect(imports.map((e) => e.details?.source)).toEqual(['upload', 'entra']);
    expect(imports[0].actor).toEqual({ kind: 'user', userId: adminAId, email: 'ada@admins.test' });
    expect((await adminEvents('portal.connect')).map((e) => [e.details?.action, e.outcome])).toEqual([
      ['upload-metadata', 'failure'],
      ['upload-metadata', 'failure'],
      ['upload-metadata', 'success'],
      ['fetch-metadata', 'success'],
    ]);
    const state = await onboardingState(stack.staff, A());
    expect(state.saml?.source).toBe('entra');
    expect(state.timeline.filter((e) => e.by === 'ada@admins.test').map((e) => e.event)).toContain(
      'Federation metadata imported from an upload: 1 signing certificate(s)',
    );
  });
});

/** Starts a test sign-in as admin A; returns the AuthnRequest ID the emulator was sent. */
async function startTest(): Promise<string> {
  await clients.adminA.get(`/portal/${A()}/test`);
  const res = await clients.adminA.postForm(`/portal/${A()}/test/sign-in`, {}, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const request = new URL(res.headers.get('location')!).searchParams.get('SAMLRequest')!;
  return /ID="([^"]+)"/.exec(inflateRawSync(Buffer.from(request, 'base64')).toString('utf8'))![1];
}

/** The IdP's answer, posted to the ACS the way its auto-post page does (cross-site: no cookies). */
async function answer(samlResponse: string): Promise<string> {
  const res = await new HttpClient(stack.env.baseUrl).request('POST', `/saml/${A()}/acs`, {
    body: new URLSearchParams({ SAMLResponse: samlResponse }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  expect(res.status, await res.clone().text()).toBe(303);
  return res.headers.get('location')!;
}

const issue = (inResponseTo: string, audience = spEntityId(stack.env.config, A())) =>
  stack.entra.emulator
    .getTenant(A())!
    .issueSamlResponse({ email: 'tess@alpine.example', acsUrl: acsUrl(stack.env.config, A()), audience, inResponseTo });

async function resultShown(location: string) {
  expect(location).toMatch(new RegExp(`^/portal/${A()}/test\\?run=[0-9a-f]{24}#result$`));
  expect((await clients.adminA.get(location)).status).toBe(200);
  const page = clients.adminA.lastHtml;
  return {
    outcome: /id="result" data-outcome="([^"]+)"/.exec(page)?.[1],
    reason: /id="refusal-reason">([^<]*)</.exec(page)?.[1],
    hint: /id="refusal-hint">([\s\S]*?)<\/p>/.exec(page)?.[1],
    page,
  };
}

describe('test sign-in', () => {
  test('before the metadata is imported it is refused with what to do first, and nothing is started', async () => {
    const tid = '0c0ffee0-0000-4000-8000-000000000001';
    await TenantModel.create({ tenantId: tid, name: 'Configuring Co', stage: 'configuring' });
    await stack.staff.get(`/portal/${tid}/test`);
    const res = await stack.staff.postForm(`/portal/${tid}/test/sign-in`, {}, { redirect: 'manual' });
    expect(res.status).toBe(409);
    expect(stack.staff.lastHtml).toContain('Test sign-ins start once your metadata is imported');
    expect(await SsoTestRunModel.countDocuments({ tenantId: tid })).toBe(0);
  });

  test('against the Entra emulator reports success, signs nobody in, and leaves the admin signed in as themselves', async () => {
    const shown = await resultShown(await answer(issue(await startTest()).samlResponse));
    expect(shown.outcome).toBe('success');
    expect(shown.page).toContain('Signed in at your IdP as <strong>tess@alpine.example</strong>');
    expect(await UserModel.exists({ email: 'tess@alpine.example' })).toBeNull();
    expect((await clients.adminA.api('GET', '/api/auth/me')).body.user.email).toBe('ada@admins.test');
    expect((await adminEvents('portal.test-sign-in.result')).map((e) => [e.outcome, e.details?.email])).toEqual([
      ['success', 'tess@alpine.example'],
    ]);
  });

  test('a response for another audience reports audience-mismatch and the Entra setting to change', async () => {
    const shown = await resultShown(await answer(issue(await startTest(), 'https://elsewhere.example/sp').samlResponse));
    expect(shown.outcome).toBe('refused');
    expect(shown.reason).toBe('audience-mismatch');
    expect(shown.page).toContain(
      `Assertion audience does not match (expected &quot;${spEntityId(stack.env.config, A())}&quot;, received &quot;https://elsewhere.example/sp&quot;)`,
    );
    expect(shown.hint).toContain('set Identifier (Entity ID) to the SP entity ID');
  });

  test('an unsigned response reports unsigned and the signing option to set', async () => {
    const { xml } = issue(await startTest());
    const unsigned = xml.replace(/<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">[\s\S]*?<\/Signature>/g, '');
    const shown = await resultShown(await answer(Buffer.from(unsigned).toString('base64')));
    expect(shown.outcome).toBe('refused');
    expect(shown.reason).toBe('unsigned');
    expect(shown.hint).toContain('Signing Option to &quot;Sign SAML assertion&quot;');
  });

  test('the test report downloads as HTML and as JSON, with the checklist and the test sign-ins', async () => {
    const json = await clients.adminA.get(`/portal/${A()}/test/report.json`);
    expect(json.headers.get('content-disposition')).toBe(`attachment; filename="entrada-test-report-${A()}.json"`);
    const report = (await json.json()) as PortalTestReport;
    expect(report.orgName).toBe(NAMES.A);
    expect(report.checklist.map((e) => e.item)).toContain('auto-provisioning');
    expect(report.testSignIns.map((t) => t.reason ?? t.outcome)).toEqual(
      expect.arrayContaining(['success', 'audience-mismatch', 'unsigned']),
    );
    const html = await clients.adminA.get(`/portal/${A()}/test/report.html`);
    expect(html.headers.get('content-disposition')).toBe(`attachment; filename="entrada-test-report-${A()}.html"`);
    const text = await html.text();
    expect(text).toContain(`<h1>Test report: ${NAMES.A}</h1>`);
    expect(text).toMatch(/<tr data-run="[0-9a-f]{24}" data-outcome="refused">[\s\S]*?<code>audience-mismatch<\/code>/);
  });
});
