/**
 * Entra-initiated single logout: the emulator sends a signed LogoutRequest (Redirect and POST
 * bindings) to the SP's logout URL; the sessions of that NameID (and SessionIndex) end, and Entra
 * gets a LogoutResponse signed with the SP key. Unsigned or forged requests end nothing and are
 * audited with their reason.
 */
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { createSelfSignedCertificate } from '../../emulator/x509';
import type { EmulatedTenant } from '../../emulator';
import { AuditEventModel, SessionModel } from '../../lib/models';
import { endSsoSessions, indexSsoSessions } from '../../lib/sso/end-sessions';
import { sloUrl } from '../../lib/saml/sp-urls';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const sp = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SP_CERT = createSelfSignedCertificate({
  ...sp,
  commonName: 'Entrada SP',
  notBefore: new Date(Date.now() - 60_000),
  notAfter: new Date(Date.now() + 365 * 86400_000),
});
const stack = useStack({
  entra: true,
  workers: true,
  config: { SAML_SP_SIGNING_KEY: sp.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), SAML_SP_SIGNING_CERT: SP_CERT },
});
let t: SsoTenant;
let attacker: EmulatedTenant;
const ALEX = 'alex@slo.example';
const BEA = 'bea@slo.example';

beforeAll(async () => {
  t = await connectTenant(stack, { domains: ['slo.example'], slo: true });
  t.emulated.addUser({ email: ALEX });
  t.emulated.addUser({ email: BEA });
  attacker = stack.entra.emulator.createTenant({ name: 'Attacker' });
});

/** A browser signed in by SSO, and the SessionIndex Entra gave that sign-in (its assertion ID here). */
async function signedIn(email: string): Promise<{ browser: SsoBrowser; sessionIndex: string }> {
  const browser = new SsoBrowser(stack.env, t);
  expect((await browser.signIn(email)).status).toBe(303);
  const event = await AuditEventModel.findOne({ action: 'sso.signed-in', 'actor.email': email }).sort({ at: -1, _id: -1 }).lean();
  return { browser, sessionIndex: (event!.details as { assertionId: string }).assertionId };
}

const logoutRequest = (issuer: EmulatedTenant, nameId: string, sessionIndex?: string) =>
  issuer.issueLogoutRequest({
    nameId,
    destination: sloUrl(stack.env.config, t.tenantId),
    relayState: 'rs-1',
    ...(sessionIndex ? { sessionIndex } : {}),
  });

const postLogout = (browser: SsoBrowser, samlRequest: string) =>
  browser.http.request('POST', `/saml/${t.tenantId}/slo`, {
    body: new URLSearchParams({ SAMLRequest: samlRequest, RelayState: 'rs-1' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });

/** The SP's answer: a LogoutResponse to Entra's logout URL, signed with the SP key in the query string. */
function expectSignedLogoutResponse(res: Response, requestXml: string): void {
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(t.emulated.ssoUrl());
  const query = location.search.slice(1);
  const signed = query.slice(0, query.indexOf('&Signature='));
  const verifier = createVerify('RSA-SHA256').update(signed);
  expect(verifier.verify(SP_CERT, location.searchParams.get('Signature')!, 'base64')).toBe(true);
  expect(location.searchParams.get('RelayState')).toBe('rs-1');
  const xml = inflateRawSync(Buffer.from(location.searchParams.get('SAMLResponse')!, 'base64')).toString('utf8');
  expect(xml).toContain(`InResponseTo="${/ID="([^"]+)"/.exec(requestXml)![1]}"`);
  expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:Success');
}

test('Redirect binding: the session with that SessionIndex ends, the user’s other session stays; a signed LogoutResponse goes back', async () => {
  const laptop = await signedIn(ALEX);
  const phone = await signedIn(ALEX);
  const request = logoutRequest(t.emulated, ALEX, laptop.sessionIndex);
  const res = await laptop.browser.http.get(request.redirectUrl, { redirect: 'manual' });
  expectSignedLogoutResponse(res, request.xml);
  expect(await laptop.browser.whoAmI()).toBeUndefined();
  expect(await phone.browser.whoAmI()).toBe(ALEX);
  expect(await AuditEventModel.findOne({ action: 'saml.logout.idp', tenantId: t.tenantId }).sort({ at: -1, _id: -1 }).lean()).toMatchObject(
    {
      outcome: 'success',
      details: { nameId: ALEX, sessionIndexes: [laptop.sessionIndex], sessionsEnded: 1, binding: 'redirect' },
    },
  );
});

test('POST binding without a SessionIndex: every session of that NameID ends, nobody else’s', async () => {
  const one = await signedIn(ALEX);
  const two = await signedIn(ALEX);
  const bea = await signedIn(BEA);
  const request = logoutRequest(t.emulated, ALEX);
  expectSignedLogoutResponse(await postLogout(new SsoBrowser(stack.env, t), request.samlRequest), request.xml);
  expect(await one.browser.whoAmI()).toBeUndefined();
  expect(await two.browser.whoAmI()).toBeUndefined();
  expect(await bea.browser.whoAmI()).toBe(BEA);
});

describe('refused logout requests end nothing and are audited with their reason', () => {
  const cases: { name: string; reason: string; send(b: SsoBrowser, sessionIndex: string): Promise<Response> }[] = [
    {
      name: 'Redirect without a signature',
      reason: 'unsigned',
      send: (b, si) =>
        b.http.get(logoutRequest(t.emulated, ALEX, si).redirectUrl.replace(/&SigAlg=[^&]+&Signature=[^&]+$/, ''), { redirect: 'manual' }),
    },
    {
      name: 'Redirect signed by another tenant’s key',
      reason: 'signature-invalid',
      send: (b, si) => {
        const forged = new URL(logoutRequest(attacker, ALEX, si).redirectUrl);
        const ours = new URL(logoutRequest(t.emulated, ALEX, si).redirectUrl);
        ours.searchParams.set('Signature', forged.searchParams.get('Signature')!);
        return b.http.get(ours.toString(), { redirect: 'manual' });
      },
    },
    {
      name: 'POST without a signature',
      reason: 'unsigned',
      send: (b, si) => postLogout(b, Buffer.from(logoutRequest(t.emulated, ALEX, si).xml).toString('base64')),
    },
    {
      name: 'POST signed by another tenant',
      reason: 'signature-invalid',
      send: (b, si) => postLogout(b, logoutRequest(attacker, ALEX, si).samlRequest),
    },
    {
      // Captured after it was used (for another of the user's sessions), then sent again.
      name: 'the same request sent a second time',
      reason: 'logout-request-replayed',
      send: async (b) => {
        const used = logoutRequest(t.emulated, ALEX, '_another-session');
        expect((await b.http.get(used.redirectUrl, { redirect: 'manual' })).status).toBe(302);
        return postLogout(b, used.samlRequest).then(async (posted) => {
          expect(posted.status).toBe(400);
          return b.http.get(used.redirectUrl, { redirect: 'manual' });
        });
      },
    },
  ];
  test.each(cases)('$name → $reason', async ({ send, reason }) => {
    const { browser, sessionIndex } = await signedIn(ALEX);
    const res = await send(browser, sessionIndex);
    expect(res.status).toBe(400);
    const page = await res.text();
    const event = await AuditEventModel.findOne({ action: 'saml.logout.rejected', tenantId: t.tenantId }).sort({ at: -1, _id: -1 }).lean();
    expect((event!.details as { reason: string }).reason).toBe(reason);
    expect(page).toContain(String(event!._id));
    expect(await browser.whoAmI()).toBe(ALEX);
  });
});

test('sessions stored before single logout had its index are indexed at worker start, then ended like the others', async () => {
  const old = { _id: `old-${Date.now()}`, expires: new Date(Date.now() + 3600_000) };
  await SessionModel.collection.insertOne({
    ...old,
    session: { passport: { user: 'u1' }, sso: { tenantId: t.tenantId, nameId: 'legacy@logout.example', sessionIndex: '_s1' } },
  } as never);
  expect(await endSsoSessions(t.tenantId, 'legacy@logout.example', ['_s1'])).toBe(0); // not found by the index yet
  expect(await indexSsoSessions()).toBe(1);
  expect(await indexSsoSessions()).toBe(0);
  expect(await endSsoSessions(t.tenantId, 'legacy@logout.example', ['_s1'])).toBe(1);
});

test('the SP metadata lists the SP signing certificate (for our signed LogoutResponses); AuthnRequests stay unsigned', async () => {
  const xml = await (await fetch(`${stack.env.baseUrl}/saml/${t.tenantId}/metadata`)).text();
  const body = SP_CERT.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
  const signing = /<KeyDescriptor use="signing">([\s\S]*?)<\/KeyDescriptor>/.exec(xml)?.[1] ?? '';
  expect(signing.replace(/\s/g, '')).toContain(`<ds:X509Certificate>${body}</ds:X509Certificate>`);

  expect(xml).toContain('AuthnRequestsSigned="false"');
});
