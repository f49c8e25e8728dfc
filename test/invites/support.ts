/** Set-up for the invite tests: live tenants, invites read back from the inbox, SSO through the emulator's pages. */
import { expect, vi } from 'vitest';
import { claimDomain } from '../../lib/sso/domains';
import { TenantModel } from '../../lib/models';
import { postForm, readForm } from '../emulator/support';
import type { HttpClient } from '../support/http-client';
import { createHub } from '../../lib/collab/hubs';
import { createUser, signedIn } from '../support/people';
import type { TestEnv } from '../support/env';

export interface Inviter {
  alice: Awaited<ReturnType<typeof createUser>>;
  hubId: string;
  client: HttpClient;
}

/** Where most invite tests start: Alice, a confirmed standard user who owns the hub "Launch", signed in. */
export async function aliceWithHub(baseUrl: string): Promise<Inviter> {
  const alice = await createUser({ email: 'alice@alice-corp.test', displayName: 'Alice Archer' });
  const hubId = (await createHub(alice, 'Launch')).id;
  return { alice, hubId, client: await signedIn(baseUrl, alice.email) };
}

/**
 * A live tenant that nominated `domains`, recorded directly (what onboarding leaves behind)
 * and without SAML settings: for tests that need the domain rule, not a sign-in. Tests that
 * sign in use `connectTenant` (test/sso/support.ts), which also sets up the emulated tenant.
 */
export async function liveTenant(opts: { name: string; domains: string[] }) {
  const tenantId = crypto.randomUUID();
  await TenantModel.create({ tenantId, name: opts.name, stage: 'live', liveAt: new Date() });
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

/**
 * Follows an SSO start link (`/saml/<tid>/login?relayState=...`) the way a browser does:
 * to the emulator's sign-in page, signs in there as `email`, and posts the emulator's
 * auto-post form to the ACS. Returns the ACS's answer (a 303 to the relay state), after
 * waiting out a migration's "finishing your account" page if the sign-in started one.
 */
export async function ssoThroughEmulator(client: HttpClient, ssoPath: string, email: string): Promise<Response> {
  const start = await client.get(ssoPath, { redirect: 'manual' });
  expect(start.status, 'SSO start redirects to Entra').toBe(302);
  const signInPage = await (await fetch(start.headers.get('location')!)).text();
  const login = readForm(signInPage, 'email-form');
  const autoPost = await (await postForm(login.action, { ...login.fields, email })).text();
  const acs = readForm(autoPost, 'saml-post');
  const body = new URLSearchParams(acs.fields);
  let res = await client.request('POST', acs.action, {
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  const waiting = res.status === 200 ? client.lastHtml.match(/url=(\/saml\/[a-z]+\/[0-9a-f]{24})/)?.[1] : undefined;
  if (waiting) {
    // The page without script refreshes to here until the account is ready (a migration's length).
    res = await vi.waitFor(
      async () => {
        const next = await client.get(waiting, { redirect: 'manual' });
        if (next.status === 200) throw new Error(`sign-in still pending at ${waiting}`);
        return next;
      },
      { timeout: 30_000, interval: 500 },
    );
  }
  return res;
}
