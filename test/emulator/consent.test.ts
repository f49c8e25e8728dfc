import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntraEmulator, type EmulatedTenant } from '../../emulator';
import { postForm, readForm } from './support';

const emulator = createEntraEmulator();
let server: { url: string; close(): Promise<void> };
let tenant: EmulatedTenant;
const CLIENT_ID = '7f1c4a52-0000-4000-8000-00000000e17a';
const REDIRECT = 'https://entrada.test/onboarding/consent-callback';

beforeAll(async () => {
  server = await emulator.listen(0);
  tenant = emulator.createTenant({ name: 'Northwind' });
});
afterAll(() => server.close());

const consentUrl = (params: Record<string, string>, tid = tenant.tenantId) =>
  `${server.url}/${tid}/adminconsent?${new URLSearchParams(params)}`;

async function consentForm(params: Record<string, string>, tid?: string) {
  const res = await fetch(consentUrl(params, tid));
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('Permissions requested');
  expect(html).toContain(CLIENT_ID);
  return { html, form: readForm(html, 'consent-form') };
}

const decide = async (form: ReturnType<typeof readForm>, decision: 'accept' | 'cancel', extra: Record<string, string> = {}) => {
  const res = await postForm(form.action, { ...form.fields, decision, ...extra });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
};

describe('admin consent', () => {
  it('Accept redirects with admin_consent=True, the tenant ID and the state, and records consent', async () => {
    const { html, form } = await consentForm({ client_id: CLIENT_ID, redirect_uri: REDIRECT, state: 'onboard-42' });
    expect(html).toContain('id="accept"');
    expect(html).toContain('Northwind');
    expect(tenant.consented(CLIENT_ID)).toBe(false);
    expect(await decide(form, 'accept')).toBe(`${REDIRECT}?admin_consent=True&tenant=${tenant.tenantId}&state=onboard-42`);
    expect(tenant.consented(CLIENT_ID)).toBe(true);
    expect(tenant.consented('someone-else')).toBe(false);
  });

  it('Cancel redirects with access_denied and AADSTS65004, and records nothing', async () => {
    const t = emulator.createTenant();
    const { form } = await consentForm({ client_id: CLIENT_ID, redirect_uri: `${REDIRECT}?x=1`, state: 'a b&c' }, t.tenantId);
    const location = await decide(form, 'cancel');
    expect(location.startsWith(`${REDIRECT}?x=1&error=access_denied&error_description=AADSTS65004%3a+User+declined+to+consent`)).toBe(true);
    expect(location.endsWith('&state=a+b%26c')).toBe(true);
    const params = new URL(location).searchParams;
    expect(params.get('state')).toBe('a b&c');
    expect(params.get('error_description')).toMatch(/^AADSTS65004: User declined to consent to access the app\./);
    expect(t.consented(CLIENT_ID)).toBe(false);
  });

  it('without state, none is returned', async () => {
    const { form } = await consentForm({ client_id: CLIENT_ID, redirect_uri: REDIRECT });
    expect(await decide(form, 'accept')).toBe(`${REDIRECT}?admin_consent=True&tenant=${tenant.tenantId}`);
  });

  it('/common lets the admin pick the tenant', async () => {
    const { html, form } = await consentForm({ client_id: CLIENT_ID, redirect_uri: REDIRECT, state: 's' }, 'common');
    expect(html).toContain(`<option value="${tenant.tenantId}">`);
    expect(await decide(form, 'accept', { tenant: tenant.tenantId })).toBe(
      `${REDIRECT}?admin_consent=True&tenant=${tenant.tenantId}&state=s`,
    );
  });

  it.each([
    ['missing client_id', { redirect_uri: REDIRECT }, /AADSTS900144/],
    ['missing redirect_uri', { client_id: CLIENT_ID }, /AADSTS90102/],
    ['relative redirect_uri', { client_id: CLIENT_ID, redirect_uri: '/callback' }, /AADSTS90102/],
    ['javascript: redirect_uri', { client_id: CLIENT_ID, redirect_uri: 'javascript:alert(1)' }, /AADSTS90102/],
  ])('%s → 400 error page', async (_name, params, message) => {
    const res = await fetch(consentUrl(params as Record<string, string>), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(message);
  });

  it('unknown tenant → 400 AADSTS90002, on GET and on a forged POST', async () => {
    const res = await fetch(consentUrl({ client_id: CLIENT_ID, redirect_uri: REDIRECT }, 'nowhere.onmicrosoft.com'));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('AADSTS90002');
    const post = await postForm(`${server.url}/nowhere/adminconsent`, { client_id: CLIENT_ID, redirect_uri: REDIRECT, decision: 'accept' });
    expect(post.status).toBe(400);
  });

  it('a POST without a valid decision or redirect_uri is refused, not redirected', async () => {
    const action = `${server.url}/${tenant.tenantId}/adminconsent`;
    expect((await postForm(action, { client_id: CLIENT_ID, redirect_uri: REDIRECT, decision: 'maybe' })).status).toBe(400);
    expect((await postForm(action, { client_id: CLIENT_ID, redirect_uri: 'data:text/html,x', decision: 'accept' })).status).toBe(400);
  });
});
