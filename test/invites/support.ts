/** Set-up for the invite tests: people with passwords, signed-in clients, live tenants. */
import { expect } from 'vitest';
import { claimDomain } from '../../lib/domains';
import { TenantModel, UserModel } from '../../lib/models';
import { hashPassword } from '../../lib/passwords';
import type { EmulatedTenant } from '../../emulator';
import { HttpClient } from '../support/http-client';
import type { TestEnv } from '../support/env';

export const PASSWORD = 'correct horse battery staple';

/** A confirmed standard account (registration itself is the accounts tests' subject). */
export async function standardUser(email: string, displayName = email.split('@')[0]) {
  const user = await UserModel.create({ email, displayName, kind: 'standard', passwordHash: await hashPassword(PASSWORD), emailConfirmedAt: new Date() });
  return { id: user.id as string, email: user.email, displayName };
}

/** A client signed in with the password form, as a browser would be. */
export async function signedIn(baseUrl: string, email: string, password = PASSWORD): Promise<HttpClient> {
  const client = new HttpClient(baseUrl);
  await client.get('/signin');
  const res = await client.postForm('/signin', { email, password }, { redirect: 'manual' });
  expect(res.status, `sign-in of ${email}`).toBe(303);
  return withCsrf(client);
}

/** Sign-in starts a new session with a new CSRF token: fetch it as an API client would. */
export async function withCsrf(client: HttpClient): Promise<HttpClient> {
  client.csrf = (await client.api('GET', '/api/auth/me')).body.csrfToken;
  return client;
}

/**
 * A tenant that is live with `domains` nominated, without the onboarding workflow: the
 * records onboarding would leave behind. With an emulated tenant, its real signing
 * certificates and SSO URL are used, so SSO through the emulator works against it.
 */
export async function liveTenant(opts: { name: string; domains: string[]; tenantId?: string; emulated?: EmulatedTenant }) {
  const t = opts.emulated;
  const tenantId = t?.tenantId ?? opts.tenantId ?? crypto.randomUUID();
  await TenantModel.create({
    tenantId,
    name: opts.name,
    stage: 'live',
    liveAt: new Date(),
    saml: t && {
      idpEntityId: t.issuer,
      ssoUrl: t.ssoUrl(),
      certificates: t.signingCertificates().map((c) => ({ pem: c.certPem, thumbprint: c.thumbprint, notAfter: c.notAfter })),
      signing: t.signing,
      configuredAt: new Date(),
    },
  });
  for (const domain of opts.domains) expect(await claimDomain(tenantId, domain)).toEqual({ ok: true });
  return tenantId;
}

/** Sends an invite through the API and reads its link back from the invitee's inbox. */
export async function sendInvite(env: TestEnv, inviter: HttpClient, body: { email: string } & Record<string, unknown>) {
  const to = body.email.toLowerCase();
  const before = env.inbox.to(to).length;
  const res = await inviter.api('POST', '/api/invites', body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  await env.inbox.waitFor(() => env.inbox.to(to).length > before);
  const email = env.inbox.to(to).at(-1)!;
  const url = email.text.match(/https?:\/\/\S+?\/(invite|corporateregistration)\/[A-Za-z0-9_-]{43}/)?.[0];
  if (!url) throw new Error(`no invite link in:\n${email.text}`);
  const path = new URL(url).pathname;
  return { id: res.body.invite.id as string, path, token: path.split('/').pop()!, email };
}
