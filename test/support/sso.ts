/**
 * SSO for tests: tenants recorded in MongoDB straight from an emulated Entra tenant (what
 * onboarding would leave behind, without running it), and a browser-like client that goes
 * through SP-initiated sign-in: GET /saml/<tid>/login → Entra → POST the ACS.
 */
import { inflateRawSync } from 'node:zlib';
import { expect, vi } from 'vitest';
import type { EmulatedTenant, SamlResponseOverrides } from '../../emulator';
import { claimDomain } from '../../lib/sso/domains';
import { TenantModel } from '../../lib/models';
import { acsUrl, sloUrl, spEntityId } from '../../lib/saml/sp-urls';
import type { OnboardingStage } from '../../lib/contracts/shared';
import type { Entra } from './entra';
import type { TestEnv } from './env';
import { HttpClient } from './http-client';

export interface TenantOptions {
  name?: string;
  stage?: OnboardingStage;
  domains: string[];
  allowedGroups?: string[];
  signing?: 'assertion' | 'response' | 'both';
  /** Whether Entra's logout URL is recorded (single logout). */
  slo?: boolean;
}

export interface SsoTenant {
  emulated: EmulatedTenant;
  tenantId: string;
}

/** What a browser needs of a tenancy: its ID and an IdP that answers for it (Entra or Okta emulator). */
export interface SignInTenant {
  emulated: Pick<EmulatedTenant, 'issueSamlResponse'>;
  tenantId: string;
}

/** An emulated Entra tenant plus its Tenant record and domain claims, as onboarding leaves them. */
export async function connectTenant({ env, entra }: { env: TestEnv; entra: Entra }, opts: TenantOptions): Promise<SsoTenant> {
  const emulated = entra.emulator.createTenant({ name: opts.name ?? 'Contoso', signing: opts.signing ?? 'assertion' });
  const tenantId = emulated.tenantId;
  emulated.registerApplication({
    entityId: spEntityId(env.config, tenantId),
    replyUrl: acsUrl(env.config, tenantId),
    logoutUrl: sloUrl(env.config, tenantId),
  });
  await TenantModel.create({
    tenantId,
    name: emulated.name,
    stage: opts.stage ?? 'live',
    allowedGroups: opts.allowedGroups ?? [],
    saml: {
      idpEntityId: emulated.issuer,
      ssoUrl: emulated.ssoUrl(),
      ...(opts.slo ? { sloUrl: emulated.ssoUrl() } : {}),
      certificates: certificatesOf(emulated),
      signing: emulated.signing,
      configuredAt: new Date(),
    },
  });
  for (const domain of opts.domains) expect(await claimDomain(tenantId, domain)).toEqual({ ok: true });
  return { emulated, tenantId };
}

export const certificatesOf = (t: EmulatedTenant) =>
  t.signingCertificates().map((c) => ({ pem: c.certPem, thumbprint: c.thumbprint, notAfter: c.notAfter }));

export interface IssueOptions {
  inResponseTo?: string;
  audience?: string;
  now?: Date;
  overrides?: Partial<SamlResponseOverrides>;
}

/** One person's browser: signs in through SP-initiated SSO, or posts crafted responses. */
export class SsoBrowser {
  readonly http: HttpClient;

  constructor(
    readonly env: TestEnv,
    readonly tenant: SignInTenant,
  ) {
    this.http = new HttpClient(env.baseUrl);
  }

  get acs() {
    return acsUrl(this.env.config, this.tenant.tenantId);
  }

  /** GET /saml/<tid>/login: returns the AuthnRequest ID Entrada stored, and where it sent us. */
  async startLogin(relayState?: string): Promise<{ requestId: string; location: string; relayState?: string }> {
    const qs = relayState ? `?relayState=${encodeURIComponent(relayState)}` : '';
    const res = await this.http.get(`/saml/${this.tenant.tenantId}/login${qs}`, { redirect: 'manual' });
    expect(res.status, await res.clone().text()).toBe(302);
    const location = res.headers.get('location')!;
    const url = new URL(location);
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    const requestId = /ID="([^"]+)"/.exec(xml)![1];
    return { requestId, location, relayState: url.searchParams.get('RelayState') ?? undefined };
  }

  /** A signed response for this SP from the tenancy's emulated IdP, in that IdP's shape. */
  issue(email: string, opts: IssueOptions = {}): { samlResponse: string; xml: string } {
    return this.tenant.emulated.issueSamlResponse({
      email,
      acsUrl: this.acs,
      ...opts,
      audience: opts.audience ?? spEntityId(this.env.config, this.tenant.tenantId),
    });
  }

  /** POSTs to the ACS as Entra's auto-post page would (cross-site: no CSRF token). */
  postAcs(samlResponse: string, relayState?: string, path = `/saml/${this.tenant.tenantId}/acs`): Promise<Response> {
    const body = new URLSearchParams({ SAMLResponse: samlResponse, ...(relayState !== undefined ? { RelayState: relayState } : {}) });
    return this.http.request('POST', path, { body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
  }

  /** The whole SP-initiated round trip, answered by the emulator for `email`. */
  async signIn(email: string, relayState = '/'): Promise<Response> {
    const { requestId } = await this.startLogin(relayState);
    return this.postAcs(this.issue(email, { inResponseTo: requestId }).samlResponse, relayState);
  }

  /** Who the session belongs to now (the accounts JSON API). */
  async whoAmI(): Promise<string | undefined> {
    return (await this.http.api('GET', '/api/auth/me')).body?.user?.email;
  }
}

/**
 * Follows the "finishing your account" page the way its script does, until signed in. The ACS
 * answers that page instead of its redirect when the sign-in work (a migration) outlasts
 * MIGRATION_ACS_WAIT, which load decides; either way this returns the ACS's redirect (303 to
 * the relay state), so a test asserts the same outcome whichever way it went.
 */
export async function finishPendingSignIn(browser: SsoBrowser, res: Response, timeoutMs = 30_000): Promise<Response> {
  if (res.status !== 200) return res;
  const status = /var url="([^"]+)"/.exec(await res.clone().text())?.[1];
  if (!status) return res;
  // Each status request waits on the server for a moment (a long-poll), so no pause between them.
  const answer = await vi.waitFor(
    async () => {
      const { body } = await browser.http.api('GET', status);
      if (body?.status === 'pending') throw new Error(`sign-in still pending after ${timeoutMs} ms`);
      return body as { status?: string; next?: string } | undefined;
    },
    { timeout: timeoutMs, interval: 0 },
  );
  if (answer?.status !== 'done' || !answer.next) throw new Error(`pending sign-in ended with ${JSON.stringify(answer)}`);
  return new Response(null, { status: 303, headers: { location: answer.next } });
}
