import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../web/app';
import { HttpClient } from '../support/http-client';
import { auditFor } from './helpers';
import { createUser, PASSWORD, signedIn, signInWithForm } from '../support/people';
import { useStack } from '../support/stack';

const stack = useStack();
beforeAll(async () => {
  await createUser({ email: 'grace@example.test', displayName: 'Grace Hopper' });
  await createUser({ email: 'sso.user@corp.example', kind: 'sso' });
  await createUser({ email: 'leaving@example.test', status: 'deleting' });
  await createUser({ email: 'unconfirmed@example.test', confirmed: false });
  await createUser({ email: 'target@example.test' });
  await createUser({ email: 'bystander@example.test' });
});

const sessionCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('entrada.sid='));

describe('password sign-in and sign-out', () => {
  test('signing in starts a fresh session (httpOnly, SameSite=Lax) and goes to a same-site next page; the form itself needs no session', async () => {
    const client = new HttpClient(stack.env.baseUrl);
    const page = await client.get('/signin?next=%2Fhubs&email=grace%40example.test');
    // An anonymous form's CSRF token comes from a cookie of its own: no session row, no session cookie.
    expect(sessionCookie(page)).toBeUndefined();
    expect(page.headers.getSetCookie().find((c) => c.startsWith('entrada.csrf='))).toMatch(
      /HttpOnly.*SameSite=Lax|SameSite=Lax.*HttpOnly/i,
    );
    expect(client.lastHtml).toContain('value="grace@example.test"');

    const res = await client.postForm(
      '/signin',
      { email: 'GRACE@example.test ', password: PASSWORD, next: '/hubs' },
      { redirect: 'manual' },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/hubs');
    const after = sessionCookie(res)!;
    expect(after).toMatch(/HttpOnly/i);
    expect(after).toMatch(/SameSite=Lax/i);

    const home = await client.get('/');
    expect(client.lastHtml).toContain('Hello, Grace Hopper');
    expect(client.lastHtml).toContain('action="/signout"');
    expect(home.status).toBe(200);
  });

  test('next pointing off-site is ignored (no open redirect)', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const client = new HttpClient(stack.env.baseUrl);
      await client.get('/signin');
      const res = await client.postForm('/signin', { email: 'grace@example.test', password: PASSWORD, next }, { redirect: 'manual' });
      expect(res.headers.get('location'), next).toBe('/');
    }
  });

  test('wrong password and unknown email get the same answer; each failure is audited with its reason', async () => {
    const wrong = await signInWithForm(stack.env.baseUrl, 'grace@example.test', 'not-the-password');
    const unknown = await signInWithForm(stack.env.baseUrl, 'nobody@example.test', 'not-the-password');
    for (const r of [wrong, unknown]) {
      expect(r.res.status).toBe(401);
      expect(r.html).toContain('The email or password is incorrect.');
    }
    const events = await auditFor({
      action: 'auth.signin',
      outcome: 'failure',
      'actor.email': { $in: ['grace@example.test', 'nobody@example.test'] },
    });
    expect(events.map((e) => [e.actor?.email, (e.details as { reason: string }).reason])).toEqual([
      ['grace@example.test', 'wrong-password'],
      ['nobody@example.test', 'unknown-email'],
    ]);
    // A SIEM looks for failures by source address.
    expect(events.map((e) => e.ip)).toEqual([expect.stringMatching(/127\.0\.0\.1/), expect.stringMatching(/127\.0\.0\.1/)]);
  });

  test('SSO, deleting and unconfirmed accounts are refused with a message that says why', async () => {
    const sso = await signInWithForm(stack.env.baseUrl, 'sso.user@corp.example', 'anything-at-all');
    expect(sso.res.status).toBe(403);
    expect(sso.html).toContain('This account signs in with your organisation&#39;s single sign-on.');

    const leaving = await signInWithForm(stack.env.baseUrl, 'leaving@example.test');
    expect(leaving.res.status).toBe(403);
    expect(leaving.html).toContain('This account is being deleted');
    // ...but only to someone who knows the password.
    expect((await signInWithForm(stack.env.baseUrl, 'leaving@example.test', 'wrong-password-1')).res.status).toBe(401);

    const unconfirmed = await signInWithForm(stack.env.baseUrl, 'unconfirmed@example.test');
    expect(unconfirmed.res.status).toBe(403);
    expect(unconfirmed.html).toContain('Resend the confirmation email');
  });

  test('an empty form is a 400 with the reason', async () => {
    const { res, html } = await signInWithForm(stack.env.baseUrl, '', '');
    expect(res.status).toBe(400);
    expect(html).toContain('Enter your email address.');
    const noPassword = await signInWithForm(stack.env.baseUrl, 'grace@example.test', '');
    expect(noPassword.res.status).toBe(400);
    expect(noPassword.html).toContain('Enter your password.');
  });

  test('signing out ends the session on the server: the old cookie no longer signs anyone in', async () => {
    const client = await signedIn(stack.env.baseUrl, 'grace@example.test');
    const stolen = new HttpClient(stack.env.baseUrl);
    (stolen as unknown as { cookies: Map<string, string> }).cookies = new Map(
      (client as unknown as { cookies: Map<string, string> }).cookies,
    );
    expect((await stolen.api('GET', '/api/auth/me')).body.user.email).toBe('grace@example.test');

    const res = await client.postForm('/signout', {});
    expect(res.status).toBe(200);
    expect(client.lastHtml).toContain('Welcome to Entrada');
    expect((await stolen.api('GET', '/api/auth/me')).body.user).toBeNull();
    const [event] = await auditFor({ action: 'auth.signout', 'actor.email': 'grace@example.test' });
    expect(event).toMatchObject({ outcome: 'success', target: { type: 'user' } });
  });
});

describe('the JSON API', () => {
  test('me → signin → me → signout, with the refusals as typed errors', async () => {
    const client = new HttpClient(stack.env.baseUrl);
    const me = await client.api('GET', '/api/auth/me');
    expect(me.body.user).toBeNull();
    client.csrf = me.body.csrfToken;

    const refusals: [string, string, number, string][] = [
      ['grace@example.test', 'wrong-password-2', 401, 'bad_credentials'],
      ['unconfirmed@example.test', PASSWORD, 403, 'email_unconfirmed'],
      ['sso.user@corp.example', PASSWORD, 403, 'sso_account'],
      ['leaving@example.test', PASSWORD, 403, 'account_inactive'],
    ];
    for (const [email, password, status, code] of refusals) {
      const r = await client.api('POST', '/api/auth/signin', { email, password });
      expect([r.status, r.body.error.code], email).toEqual([status, code]);
    }
    expect((await client.api('POST', '/api/auth/signin', { password: PASSWORD })).body.error.message).toBe('Enter your email address.');

    const ok = await client.api('POST', '/api/auth/signin', { email: 'grace@example.test', password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ email: 'grace@example.test', kind: 'standard', isStaff: false });
    expect(ok.body.csrfToken).not.toBe(client.csrf);
    client.csrf = ok.body.csrfToken;
    expect((await client.api('GET', '/api/auth/me')).body.user.displayName).toBe('Grace Hopper');

    expect((await client.api('POST', '/api/auth/signout')).status).toBe(204);
    expect((await client.api('GET', '/api/auth/me')).body.user).toBeNull();
  });
});

describe('rate limiting', () => {
  test('after 10 failed sign-ins for one email from one address (across web processes), even the right password waits; others do not', async () => {
    // A second web process on the same database: the budget is shared, not per process.
    const other = http.createServer(createApp({ config: stack.env.config, temporal: stack.env.temporal, mailer: stack.env.mailer }));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      for (let i = 0; i < 10; i++) {
        const res = (await signInWithForm(i % 2 ? otherUrl : stack.env.baseUrl, 'target@example.test', `guess-number-${i}`)).res;
        expect(res.status).toBe(401);
      }
      expect((await signInWithForm(otherUrl, 'target@example.test', PASSWORD)).res.status).toBe(429);
    } finally {
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    }
    const blocked = await signInWithForm(stack.env.baseUrl, 'target@example.test', PASSWORD);
    expect(blocked.res.status).toBe(429);
    expect(blocked.html).toContain('Too many attempts');
    expect(blocked.res.headers.get('ratelimit')).toBeTruthy();

    const client = new HttpClient(stack.env.baseUrl);
    client.csrf = (await client.api('GET', '/api/auth/me')).body.csrfToken;
    const api = await client.api('POST', '/api/auth/signin', { email: 'Target@example.test', password: PASSWORD });
    expect([api.status, api.body.error.code]).toEqual([429, 'too_many_requests']);

    expect((await signInWithForm(stack.env.baseUrl, 'bystander@example.test')).res.status).toBe(200);
    const limited = await auditFor({ action: 'auth.rate-limited' });
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({
      outcome: 'denied',
      actor: { email: 'target@example.test' },
      details: { limiter: 'signin-ip-email', limit: 10 },
    });
  });
});
