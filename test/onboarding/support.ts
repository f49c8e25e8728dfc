/**
 * Onboarding test support: the Entra emulator behind a small front that can inject faults into
 * the metadata endpoint, the admin-consent journey over plain HTTP, and polling of the staff API.
 */
import { expect, vi } from 'vitest';
import type { OnboardingState } from '../../lib/contracts/onboarding-state';
import type { OnboardingStage, TestEvidence, TestItem } from '../../lib/contracts/shared';
import type { HttpClient } from '../support/http-client';
import { Inbox, type ReceivedEmail } from '../../scripts/lib/inbox';
import type { Stack } from '../support/stack';

import type { Entra } from '../support/entra';

/** The consent request email's link, checked to be Entra's admin-consent URL for the tenant. */
export function consentLink(email: ReceivedEmail, entra: Entra, tenantId: string, clientId: string, callback: string): string {
  const link = new URL(Inbox.link(email, '/adminconsent'));
  expect(`${link.origin}${link.pathname}`).toBe(`${entra.url}/${tenantId}/adminconsent`);
  expect(link.searchParams.get('client_id')).toBe(clientId);
  expect(link.searchParams.get('redirect_uri')).toBe(callback);
  expect(link.searchParams.get('state')).toMatch(/^[0-9a-f-]{36}\.[\w-]{24}\.[\w-]{43}$/);
  return link.toString();
}

/**
 * What an admin's browser does: open the emailed link (the emulator's consent page), press
 * Accept or Cancel, and get redirected. Returns the redirect target (our callback URL).
 */
export async function decideConsent(link: string, decision: 'accept' | 'cancel'): Promise<string> {
  const page = await fetch(link);
  expect(page.status).toBe(200);
  const body = await page.text();
  const action = body.match(/<form[^>]*action="([^"]+)"/)?.[1]?.replace(/&amp;/g, '&');
  const fields = Object.fromEntries(
    [...body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(([, n, v]) => [
      n,
      v.replace(/&amp;/g, '&').replace(/&quot;/g, '"'),
    ]),
  );
  expect(action, body).toBeTruthy();
  const res = await fetch(action!, { method: 'POST', body: new URLSearchParams({ ...fields, decision }), redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

export async function onboardingState(client: HttpClient, tenantId: string): Promise<OnboardingState> {
  const res = await client.api('GET', `/api/staff/tenants/${tenantId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.state;
}

export async function waitForState(
  client: HttpClient,
  tenantId: string,
  done: (s: OnboardingState) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<OnboardingState> {
  // vi.waitFor, unlike expect.poll, also works in hooks (set-up waits for stages too).
  return vi.waitFor(
    async () => {
      const state = await onboardingState(client, tenantId);
      if (!done(state))
        throw new Error(
          `still waiting for ${what}; last state: ${JSON.stringify({ stage: state.stage, timeline: state.timeline.slice(-5) })}`,
        );
      return state;
    },
    { timeout: timeoutMs, interval: 200 },
  );
}

export const waitForStage = (client: HttpClient, tenantId: string, stage: OnboardingStage, timeoutMs?: number) =>
  waitForState(client, tenantId, (s) => s.stage === stage, `stage ${stage}`, timeoutMs);

export const evidence = (item: TestItem, email: string, auditEventIds = ['aaaaaaaaaaaaaaaaaaaaaaaa']): TestEvidence => ({
  item,
  email,
  userId: 'u-1',
  at: new Date().toISOString(),
  auditEventIds,
  summary: `${item} happened for ${email}`,
});

/**
 * Starts an onboarding through the staff API and walks it through the real consent redirect
 * until it is in `testing` (metadata fetched from the emulator). Returns the tenant ID.
 */
export async function onboardToTesting(
  stack: Pick<Stack, 'env' | 'entra' | 'staff'>,
  org: { name: string; admin: string; domains: string[] },
): Promise<string> {
  const { env, entra, staff } = stack;
  const tenantId = entra.emulator.createTenant({ name: org.name }).tenantId;
  const started = await staff.api('POST', '/api/staff/tenants', {
    tenantId,
    orgName: org.name,
    adminEmails: [org.admin],
    proposedDomains: org.domains,
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const email = await env.inbox.waitFor((m) => m.to.includes(org.admin) && m.subject.startsWith('Action needed'));
  const link = consentLink(email, entra, tenantId, env.config.ENTRA_CLIENT_ID, `${env.baseUrl}/onboarding/consent/callback`);
  await waitForStage(staff, tenantId, 'awaiting-consent');
  expect((await fetch(await decideConsent(link, 'accept'))).status).toBe(200);
  await waitForStage(staff, tenantId, 'testing');
  return tenantId;
}
