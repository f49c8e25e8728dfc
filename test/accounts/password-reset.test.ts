import { describe, expect, test } from 'vitest';
import { UserModel } from '../../lib/models';
import { passwordResetLink } from '../../lib/accounts/password-reset';
import { signLink } from '../../lib/accounts/link-tokens';
import { HttpClient } from '../support/http-client';
import { Inbox } from '../../scripts/lib/inbox';
import { auditFor } from './helpers';
import { failNextQuery } from '../support/faults';
import { nextEmail, tokenOf } from '../support/mail';
import { createUser, PASSWORD, signedIn, signInWithForm } from '../support/people';
import { useStack } from '../support/stack';

const stack = useStack();

const NEW_PASSWORD = 'a-brand-new-secret-99';

async function askForReset(email: string) {
  const client = new HttpClient(stack.env.baseUrl);
  await client.get('/password/forgot');
  const res = await client.postForm('/password/forgot', { email });
  return { client, res };
}

describe('password reset by emailed link', () => {
  test('the link sets a new password once, signs out every session and voids other links', async () => {
    const user = await createUser({ email: 'katherine@example.test' });
    const laptop = await signedIn(stack.env.baseUrl, 'katherine@example.test');
    const phone = await signedIn(stack.env.baseUrl, 'katherine@example.test');
    const otherLink = passwordResetLink(stack.env.config, { id: user.id, resetVersion: user.resetVersion });

    const before = stack.env.inbox.messages.length;
    const { client, res } = await askForReset('Katherine@example.test');
    expect(res.status).toBe(200);
    expect(client.lastHtml).toContain('Check your inbox');
    const mail = await nextEmail(stack.env.inbox, 'katherine@example.test', 'Reset your Entrada password', before);
    const link = Inbox.link(mail, '/password/reset');

    expect((await client.get(link)).status).toBe(200);
    expect(client.lastHtml).toContain('Choose a new password');
    const done = await client.postForm('/password/reset', { token: tokenOf(mail, '/password/reset'), password: NEW_PASSWORD });
    expect(done.status).toBe(200);
    expect(client.lastHtml).toContain('Password changed');

    for (const session of [laptop, phone]) expect((await session.api('GET', '/api/auth/me')).body.user).toBeNull();
    expect((await signInWithForm(stack.env.baseUrl, 'katherine@example.test', PASSWORD)).res.status).toBe(401);
    expect((await signInWithForm(stack.env.baseUrl, 'katherine@example.test', NEW_PASSWORD)).res.status).toBe(200);
    await nextEmail(stack.env.inbox, 'katherine@example.test', 'Your Entrada password was changed', before);

    // Used once: the same link, and a link issued before the reset, are both spent.
    for (const spent of [link, otherLink]) {
      const again = new HttpClient(stack.env.baseUrl);
      expect((await again.get(spent)).status).toBe(400);
      expect(again.lastHtml).toContain('already used or replaced');
      await again.get('/password/forgot'); // a page with a form, for the CSRF token
      const post = await again.postForm('/password/reset', {
        token: new URL(spent).searchParams.get('token')!,
        password: 'yet-another-password-1',
      });
      expect(post.status).toBe(400);
    }
    expect((await signInWithForm(stack.env.baseUrl, 'katherine@example.test', 'yet-another-password-1')).res.status).toBe(401);

    const events = await auditFor({ action: /^auth\.password-reset/, 'target.id': user.id });
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['auth.password-reset.requested', 'success'],
      ['auth.password-reset.completed', 'success'],
      ['auth.password-reset.completed', 'failure'],
      ['auth.password-reset.completed', 'failure'],
    ]);
    expect(events[1].details).toEqual({ sessionsRevoked: true });
  });

  test('a weak new password is refused and the link stays usable', async () => {
    const user = await createUser({ email: 'dorothy@example.test' });
    const link = passwordResetLink(stack.env.config, { id: user.id, resetVersion: user.resetVersion });
    const client = new HttpClient(stack.env.baseUrl);
    await client.get(link);
    const token = new URL(link).searchParams.get('token')!;
    const weak = await client.postForm('/password/reset', { token, password: 'short', email: user.email });
    expect(weak.status).toBe(400);
    expect(client.lastHtml).toContain('Use at least 10 characters.');
    expect((await client.postForm('/password/reset', { token, password: NEW_PASSWORD })).status).toBe(200);
  });

  test('an expired link, or a link of another kind, is refused with a way to ask for a new one', async () => {
    const user = await createUser({ email: 'expired@example.test' });
    const expired = signLink(stack.env.config.SESSION_SECRET, 'password-reset', user.id, '0', Date.now() - 61 * 60 * 1000);
    const client = new HttpClient(stack.env.baseUrl);
    expect((await client.get(`/password/reset?token=${expired}`)).status).toBe(400);
    expect(client.lastHtml).toContain('This reset link has expired');
    expect(client.lastHtml).toContain('href="/password/forgot"');
    // A confirmation link is not a reset link, even for the same user.
    const wrongPurpose = signLink(stack.env.config.SESSION_SECRET, 'confirm-email', user.id, '0');
    expect((await client.get(`/password/reset?token=${wrongPurpose}`)).status).toBe(400);
    expect((await client.get('/password/reset')).status).toBe(400);
  });

  test('unknown and SSO addresses get the same page; the SSO user is told there is no password', async () => {
    await createUser({ email: 'sso.reset@corp.example', kind: 'sso' });
    const before = stack.env.inbox.messages.length;
    const unknown = await askForReset('ghost@example.test');
    const sso = await askForReset('sso.reset@corp.example');
    for (const r of [unknown, sso]) {
      expect(r.res.status).toBe(200);
      expect(r.client.lastHtml).toContain('Check your inbox');
    }
    const mail = await nextEmail(stack.env.inbox, 'sso.reset@corp.example', 'Your Entrada account uses single sign-on', before);
    expect(mail.text).not.toContain('/password/reset');
    expect(stack.env.inbox.to('ghost@example.test')).toHaveLength(0);
  });

  test('resetting proves the mailbox, so it also confirms an unconfirmed account', async () => {
    const user = await createUser({ email: 'never.confirmed@example.test', confirmed: false });
    const client = new HttpClient(stack.env.baseUrl);
    const link = passwordResetLink(stack.env.config, { id: user.id, resetVersion: user.resetVersion });
    await client.get(link);
    await client.postForm('/password/reset', { token: new URL(link).searchParams.get('token')!, password: NEW_PASSWORD });
    expect((await UserModel.findById(user._id).lean())!.emailConfirmedAt).toBeInstanceOf(Date);
    expect((await signInWithForm(stack.env.baseUrl, user.email, NEW_PASSWORD)).res.status).toBe(200);
  });

  test('a database outage while a link is checked is a 503 "try again", never "link not valid"; the link still works after', async () => {
    const user = await createUser({ email: 'outage.reset@example.test' });
    const link = passwordResetLink(stack.env.config, { id: user.id, resetVersion: user.resetVersion });
    const client = new HttpClient(stack.env.baseUrl);

    failNextQuery(UserModel, 'findOne');
    expect((await client.get(link)).status).toBe(503);
    expect(client.lastHtml).toContain('Try again in a moment');
    expect(client.lastHtml).not.toMatch(/not valid|already used/);
    expect(await auditFor({ action: 'auth.password-reset.completed', 'target.id': user.id })).toEqual([]);

    expect((await client.get(link)).status).toBe(200);
    expect(client.lastHtml).toContain('Choose a new password');
  });

  test('the JSON twins, and the request limit per address', async () => {
    const user = await createUser({ email: 'api.reset@example.test' });
    const client = new HttpClient(stack.env.baseUrl);
    client.csrf = (await client.api('GET', '/api/auth/me')).body.csrfToken;
    const before = stack.env.inbox.messages.length;
    expect((await client.api('POST', '/api/auth/password/forgot', { email: user.email })).status).toBe(202);
    const mail = await nextEmail(stack.env.inbox, user.email, 'Reset your Entrada password', before);
    const token = tokenOf(mail, '/password/reset');
    expect((await client.api('POST', '/api/auth/password/reset', { token, password: 'short' })).body.error.code).toBe('weak_password');
    expect(await client.api('POST', '/api/auth/password/reset', { token, password: NEW_PASSWORD })).toEqual({
      status: 200,
      body: { status: 'password-changed', email: user.email },
    });
    expect((await client.api('POST', '/api/auth/password/reset', { token, password: NEW_PASSWORD })).body.error.code).toBe('link_invalid');

    // 5 requests an hour per address and email (1 used above), then 429.
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await client.api('POST', '/api/auth/password/forgot', { email: user.email })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 429]);
  });
});
