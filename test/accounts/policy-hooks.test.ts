import { beforeAll, expect, test, vi } from 'vitest';
import { UserModel } from '../../lib/models';
import { HttpClient } from '../support/http-client';
import { auditFor } from './helpers';
import { createUser, PASSWORD } from '../support/people';
import { useStack } from '../support/stack';

/**
 * The hook points the SSO and invites work fills in: stand-ins here decide that corp.example
 * belongs to an organisation with SSO, and check that sign-in and registration obey them.
 */
vi.mock('../../lib/accounts/sign-in-policy', () => ({
  ssoRedirectFor: async (email: string) =>
    email.endsWith('@corp.example') ? `https://login.corp.example/sso?login_hint=${encodeURIComponent(email)}` : undefined,
}));
vi.mock('../../lib/accounts/registration-policy', () => ({
  isRegistrationAllowed: async (email: string) =>
    email.endsWith('@corp.example')
      ? { allowed: false, reason: 'corp.example signs in with its own single sign-on.', ssoUrl: '/sso/corp' }
      : { allowed: true },
}));

const stack = useStack();
beforeAll(async () => {
  await createUser({ email: 'worker@corp.example' });
});

test('sign-in for an SSO domain goes to SSO before any password is checked (email alone is enough)', async () => {
  const client = new HttpClient(stack.env.baseUrl);
  await client.get('/signin');
  const res = await client.postForm('/signin', { email: 'worker@corp.example', password: '' }, { redirect: 'manual' });
  expect([res.status, res.headers.get('location')]).toEqual([303, 'https://login.corp.example/sso?login_hint=worker%40corp.example']);
  expect(await auditFor({ action: 'auth.signin' })).toHaveLength(0);

  client.csrf = (await client.api('GET', '/api/auth/me')).body.csrfToken;
  const api = await client.api('POST', '/api/auth/signin', { email: 'worker@corp.example', password: PASSWORD });
  expect(api).toEqual({
    status: 403,
    body: {
      error: {
        code: 'sso_required',
        message: "This account signs in with your organisation's single sign-on.",
        details: { url: 'https://login.corp.example/sso?login_hint=worker%40corp.example' },
      },
    },
  });
});

test('registration refused by policy shows the reason and the SSO link, writes no user, and is audited', async () => {
  const client = new HttpClient(stack.env.baseUrl);
  await client.get('/register');
  const res = await client.postForm('/register', { displayName: 'New Hire', email: 'new.hire@corp.example', password: PASSWORD });
  expect(res.status).toBe(403);
  expect(client.lastHtml).toContain('corp.example signs in with its own single sign-on.');
  expect(client.lastHtml).toContain('href="/sso/corp"');
  expect(await UserModel.exists({ email: 'new.hire@corp.example' })).toBeNull();
  expect(stack.env.inbox.to('new.hire@corp.example')).toHaveLength(0);

  const api = await client.api('POST', '/api/auth/register', {
    displayName: 'New Hire',
    email: 'new.hire@corp.example',
    password: PASSWORD,
  });
  expect(api.body.error).toEqual({
    code: 'registration_refused',
    message: 'corp.example signs in with its own single sign-on.',
    details: { ssoUrl: '/sso/corp' },
  });
  const events = await auditFor({ action: 'auth.register', 'actor.email': 'new.hire@corp.example' });
  expect(events.map((e) => e.outcome)).toEqual(['denied', 'denied']);
});
