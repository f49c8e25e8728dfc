import { randomUUID } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { OktaApp } from '../../emulator/okta/org';
import { oktaSettings } from '../../lib/idp/presets';
import { validateConnectionSettings } from '../../lib/idp/settings';
import { saveConnection } from '../../lib/idp/store';
import { connectionOf } from '../../lib/idp/tenant-connection';
import { SAML, type CacheProvider } from '@node-saml/node-saml';
import { createEntraEmulator, type EmulatedTenant, type EntraEmulator } from '../../emulator';
import type { Config } from '../../lib/config';
import { claimDomain } from '../../lib/sso/domains';
import { ENTRA_CLAIM_MAPPING } from '../../lib/sso/claims';
import { TenantModel, UserModel } from '../../lib/models';
import { tenantSamlOptions } from '../../lib/saml/sp-options';
import { acsUrl, spEntityId } from '../../lib/saml/sp-urls';
import { sleep } from './stats';

/**
 * SSO sign-in as the benchmarks drive it: a live tenant emulated by the Entra emulator (or an
 * Okta-kind tenancy and the Okta emulator, or a generic-kind one), AuthnRequests issued by the real login endpoint,
 * signed responses in the IdP's shape POSTed to
 * the real ACS (waiting out a migration's progress page), and raw node-saml on the same
 * responses for the ratio.
 */
/** The bench drives any connection kind's IdP through these. */
export type BenchIdp = Pick<EmulatedTenant, 'addUser' | 'issueSamlResponse'>;
export type BenchKind = 'entra' | 'okta' | 'saml';

export interface SsoBench {
  tenantId: string;
  emulated: BenchIdp;
  domain: string;
  /** GET /saml/<tid>/login: the AuthnRequest ID, for InResponseTo. */
  startLogin(origin: string): Promise<string>;
  /** A signed response; without `inResponseTo` an unsolicited one (IdP-initiated, from My Apps). */
  sign(email: string, inResponseTo?: string): string;
  /**
   * POST to the ACS; resolves with the latency in ms once signed in (after any migration, and
   * for an IdP-initiated response after the same-site step the ACS redirects to).
   */
  postAcs(origin: string, samlResponse: string): Promise<number>;
  /** node-saml alone on `responses` (issued for `requestIds`) with the ACS's settings: responses/s. */
  rawRate(requestIds: string[], responses: string[]): Promise<number>;
}

export async function setUpSsoTenant(
  config: Config,
  domain: string,
  kind: BenchKind = 'entra',
  // Responses are issued in-process; the tenant's recorded sign-in URL is never visited (a
  // listening Entra emulator is passed only where the web process must reach it, e.g. for Graph).
  entra?: EntraEmulator,
): Promise<SsoBench> {
  const { emulated, tenantId } =
    kind === 'okta' ? await oktaTenancy() : kind === 'saml' ? await genericTenancy() : await entraTenancy(entra);
  const claimed = await claimDomain(tenantId, domain);
  if (!claimed.ok) throw new Error(`could not claim ${domain}: ${JSON.stringify(claimed)}`);

  const finishPending = async (origin: string, page: string, cookies: string[]) => {
    const status = /var url="([^"]+)"/.exec(page)?.[1];
    if (!status) throw new Error('ACS answered 200 without a progress page');
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    for (;;) {
      const poll = (await (await fetch(`${origin}${status}`, { headers: { cookie, accept: 'application/json' } })).json()) as {
        status: string;
      };
      if (poll.status === 'done') return;
      if (poll.status !== 'pending') throw new Error(`sign-in ended ${JSON.stringify(poll)}`);
    }
  };

  return {
    tenantId,
    emulated,
    domain,
    async startLogin(origin) {
      const res = await fetch(`${origin}/saml/${tenantId}/login`, { redirect: 'manual' });
      const xml = inflateRawSync(Buffer.from(new URL(res.headers.get('location')!).searchParams.get('SAMLRequest')!, 'base64')).toString();
      return /ID="([^"]+)"/.exec(xml)![1];
    },
    sign: (email, inResponseTo) =>
      emulated.issueSamlResponse({
        email,
        ...(inResponseTo ? { inResponseTo } : {}),
        acsUrl: acsUrl(config, tenantId),
        audience: spEntityId(config, tenantId),
      }).samlResponse,
    async postAcs(origin, samlResponse) {
      const started = performance.now();
      const res = await fetch(`${origin}/saml/${tenantId}/acs`, {
        method: 'POST',
        body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: '/' }),
        redirect: 'manual',
      });
      const body = await res.text();
      const held = res.headers.get('location');
      if (res.status === 303 && held?.startsWith(`/saml/${tenantId}/idp/`)) {
        const step = await fetch(`${origin}${held}`, { redirect: 'manual' });
        const page = await step.text();
        if (step.status === 200) await finishPending(origin, page, step.headers.getSetCookie());
        else if (step.status !== 303) throw new Error(`IdP-initiated step answered ${step.status}: ${page.slice(0, 300)}`);
      } else if (res.status === 200) await finishPending(origin, body, res.headers.getSetCookie());
      else if (res.status !== 303) throw new Error(`ACS answered ${res.status}: ${body.slice(0, 300)}`);
      return performance.now() - started;
    },
    async rawRate(requestIds, responses) {
      const tenant = (await TenantModel.findOne({ tenantId }).lean())!;
      const issued = new Map(requestIds.map((rid) => [rid, new Date().toISOString()]));
      const cache: CacheProvider = {
        saveAsync: async (key, value) => (issued.set(key, value), { value, createdAt: Date.now() }),
        getAsync: async (key) => issued.get(key) ?? null,
        removeAsync: async (key) => key,
      };
      const saml = new SAML({
        ...tenantSamlOptions(
          config,
          tenant,
          tenant.saml!.certificates.map((c) => c.pem),
          connectionOf(tenant),
        ),
        cacheProvider: cache,
      });
      const started = performance.now();
      for (const SAMLResponse of responses) {
        await saml.validatePostResponseAsync({ SAMLResponse });
        // Let the event loop breathe between responses: a loop that holds it for seconds lets
        // the web server's idle keep-alive sockets time out unnoticed, and the next phase's
        // first requests then fail with "other side closed".
        await new Promise((r) => setImmediate(r));
      }
      return responses.length / ((performance.now() - started) / 1000);
    },
  };
}

async function entraTenancy(
  emulator: EntraEmulator = createEntraEmulator({ baseUrl: 'http://entra.bench.invalid' }),
): Promise<{ emulated: BenchIdp; tenantId: string }> {
  const emulated = emulator.createTenant({ name: 'Bench' });
  const tenantId = emulated.tenantId;
  await TenantModel.updateOne(
    { tenantId },
    {
      $set: {
        name: emulated.name,
        stage: 'live',
        saml: {
          idpEntityId: emulated.issuer,
          ssoUrl: emulated.ssoUrl(),
          signing: emulated.signing,
          certificates: emulated.signingCertificates().map((c) => ({ pem: c.certPem, thumbprint: c.thumbprint, notAfter: c.notAfter })),
        },
      },
    },
    { upsert: true },
  );
  return { emulated, tenantId };
}

/** An Okta-kind tenancy (Okta's preset: Response and Assertion both signed, userId as the subject). */
async function oktaTenancy(): Promise<{ emulated: BenchIdp; tenantId: string }> {
  const emulated = new OktaApp(() => 'https://bench.okta.invalid', { name: 'Bench Okta' });
  const tenantId = randomUUID();
  await TenantModel.create({ tenantId, name: emulated.name, stage: 'live' });
  const settings = oktaSettings({
    idpEntityId: emulated.issuer,
    ssoUrl: emulated.ssoUrl(),
    certificates: emulated.signingCertificates().map((c) => c.certPem),
  });
  await saveConnection(tenantId, validateConnectionSettings(settings, { production: true }));
  return { emulated, tenantId };
}

/**
 * A generic-kind tenancy: explicit settings (assertion signed, the object ID attribute as the
 * subject, email/name/group attributes by URI, no Entra-only rules) over an IdP that sends
 * Entra-shaped responses, as an ADFS or Keycloak set up with those claim names would.
 */
async function genericTenancy(): Promise<{ emulated: BenchIdp; tenantId: string }> {
  const emulated = createEntraEmulator({ baseUrl: 'http://idp.bench.invalid' }).createTenant({ name: 'Bench generic IdP' });
  const tenantId = randomUUID();
  await TenantModel.create({ tenantId, name: emulated.name, stage: 'live' });
  const { subject, subjectCase, email, givenName, familyName, displayName, groups } = ENTRA_CLAIM_MAPPING;
  const settings = {
    kind: 'saml' as const,
    idpEntityId: emulated.issuer,
    ssoUrl: emulated.ssoUrl(),
    ssoBinding: 'redirect' as const,
    signing: 'assertion' as const,
    nameIdFormat: 'email' as const,
    certificates: emulated.signingCertificates().map((c) => c.certPem),
    claims: { subject, subjectCase, email, givenName, familyName, displayName, groups },
  };
  await saveConnection(tenantId, validateConnectionSettings(settings, { production: false }));
  return { emulated, tenantId };
}

/** Password accounts that the tenant's users will sign in over (their first SSO sign-in migrates them). */
export async function legacyUsers(sso: SsoBench, count: number, passwordHash: string, prefix = 'legacy'): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `${prefix}${i}@${sso.domain}`);
  for (const email of emails) {
    sso.emulated.addUser({ email });
    await UserModel.create({ email, passwordHash, emailConfirmedAt: new Date() });
  }
  return emails;
}

/** `n` calls of `fn(i)` by `concurrency` closed-loop clients; latencies in ms and the rate per second. */
export async function closedLoop(
  n: number,
  concurrency: number,
  fn: (i: number) => Promise<number>,
): Promise<{ latencies: number[]; rate: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) latencies.push(await fn(i));
    }),
  );
  return { latencies, rate: n / ((performance.now() - started) / 1000) };
}

/**
 * Raw node-saml and the full stack on the same N responses, alternating over `rounds` slices;
 * each rate is its total over the slices, and `cpu` is summed over the full stack's slices only.
 * This machine's speed drifts by a third within minutes: measured one after the other, the
 * drift between the two phases went into their ratio (0.33 to 0.48 for one build in an hour).
 * Alternating, it weighs on both alike.
 */
export async function rawBesideFull(
  sso: Pick<SsoBench, 'rawRate'>,
  batch: { ids: string[]; responses: string[] },
  opts: { rounds: number; concurrency: number; post: (i: number) => Promise<number>; cpu: () => Record<string, number> },
): Promise<{ rawRate: number; full: { latencies: number[]; rate: number }; cpuSeconds: Record<string, number> }> {
  const n = batch.responses.length;
  const latencies: number[] = [];
  const cpuSeconds: Record<string, number> = {};
  let rawSeconds = 0;
  let fullSeconds = 0;
  for (let round = 0; round < opts.rounds; round++) {
    const [from, to] = [Math.floor((round * n) / opts.rounds), Math.floor(((round + 1) * n) / opts.rounds)];
    rawSeconds += (to - from) / (await sso.rawRate(batch.ids.slice(from, to), batch.responses.slice(from, to)));
    const before = opts.cpu();
    const slice = await closedLoop(to - from, opts.concurrency, (i) => opts.post(from + i));
    const after = opts.cpu();
    for (const k of Object.keys(after)) cpuSeconds[k] = (cpuSeconds[k] ?? 0) + after[k] - before[k];
    latencies.push(...slice.latencies);
    fullSeconds += (to - from) / slice.rate;
  }
  return { rawRate: n / rawSeconds, full: { latencies, rate: n / fullSeconds }, cpuSeconds };
}

/** Open loop: `fn(i)` started on a clock at `rate` per second (at most `maxInFlight` at once). */
export async function paced(n: number, rate: number, maxInFlight: number, fn: (i: number) => Promise<number>): Promise<number[]> {
  const latencies: number[] = [];
  const interval = 1000 / rate;
  let inFlight = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      await sleep(Math.max(0, started + i * interval - performance.now()));
      while (inFlight >= maxInFlight) await sleep(1);
      inFlight++;
      latencies.push(await fn(i));
      inFlight--;
    }),
  );
  return latencies;
}
