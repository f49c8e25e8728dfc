import { describe, expect, test, vi } from 'vitest';
import { UserModel } from '../../lib/models';
import { verifyPassword } from '../../lib/passwords';
import { HttpClient } from '../support/http-client';
import { Inbox } from '../../scripts/lib/inbox';
import { auditFor, json } from './helpers';
import { failNextQuery } from '../support/faults';
import { nextEmail, tokenOf } from '../support/mail';
import { PASSWORD, signInWithForm } from '../support/people';
import { useStack } from '../support/stack';

const stack = useStack();

async function registerWithForm(fields: Record<string, string>, client = new HttpClient(stack.env.baseUrl)) {
  await client.get('/register');
  const res = await client.postForm('/register', fields);
  return { client, res, html: client.lastHtml };
}

describe('self-registration with email confirmation', () => {
  const email = 'ada@example.test';

  test('registering sends a confirmation link; sign-in is refused until it is used, then works', async () => {
    const before = stack.env.inbox.messages.length;
    const { res, html } = await registerWithForm({ displayName: 'Ada Lovelace', email: 'Ada@Example.test', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(html).toContain('Check your inbox');

    const user = await UserModel.findOne({ email }).lean();
    expect(user).toMatchObject({ kind: 'standard', status: 'active', displayName: 'Ada Lovelace' });
    expect(user!.emailConfirmedAt).toBeUndefined();
    expect(user!.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword(PASSWORD, user!.passwordHash)).toBe(true);

    const mail = await nextEmail(stack.env.inbox, email, 'Confirm your Entrada account', before);
    expect(mail.text).toContain('Welcome, Ada Lovelace');
    const link = Inbox.link(mail, '/register/confirm');
    expect(link.startsWith(`${stack.env.baseUrl}/register/confirm?token=`)).toBe(true);

    const early = await signInWithForm(stack.env.baseUrl, email);
    expect(early.res.status).toBe(403);
    expect(early.html).toContain('Confirm your email address first');
    expect(early.html).toContain('Resend the confirmation email');

    // Following the link shows a form (mail scanners follow links); the registered password confirms.
    const client = new HttpClient(stack.env.baseUrl);
    const shown = await client.get(link);
    expect(shown.status).toBe(200);
    expect(client.lastHtml).toContain(`Enter the password you chose for <strong>${email}</strong>`);
    expect(await UserModel.exists({ email, emailConfirmedAt: { $ne: null } })).toBeNull();
    const token = tokenOf(mail, '/register/confirm');
    const wrong = await client.postForm('/register/confirm', { token, password: 'not-what-ada-chose' });
    expect(wrong.status).toBe(401);
    expect(client.lastHtml).toContain('not the password this account was registered with');
    expect(await UserModel.exists({ email, emailConfirmedAt: { $ne: null } })).toBeNull();

    const confirmed = await client.postForm('/register/confirm', { token, password: PASSWORD });
    expect(confirmed.status).toBe(200);
    expect(client.lastHtml).toContain('Email confirmed. Welcome to Entrada!');
    expect(client.lastHtml).toContain('Hello, Ada Lovelace');
    expect(client.lastHtml).toContain('href="/files"');

    const later = await signInWithForm(stack.env.baseUrl, email);
    expect(later.res.status).toBe(200);

    const events = await auditFor({ 'target.id': String(user!._id) });
    expect(events.map((e) => [e.action, e.outcome, (e.details as { reason?: string } | undefined)?.reason])).toEqual([
      ['auth.register', 'success', undefined],
      ['auth.signin', 'failure', 'email-unconfirmed'],
      ['auth.email-confirmed', 'failure', 'wrong-password'],
      ['auth.email-confirmed', 'success', undefined],
      ['auth.signin', 'success', undefined],
      ['auth.signin', 'success', undefined],
    ]);
    expect(
      events.filter((e) => e.action === 'auth.signin' && e.outcome === 'success').map((e) => (e.details as { method: string }).method),
    ).toEqual(['email-confirmation', 'password']);
    expect(events[0].ip).toBeTruthy();
    expect(events[0].userAgent).toBeTruthy();
  });

  test('using the confirmation link again just signs in; a forged one is refused', async () => {
    const mail = await nextEmail(stack.env.inbox, email, 'Confirm your Entrada account');
    const client = new HttpClient(stack.env.baseUrl);
    await client.get(Inbox.link(mail, '/register/confirm'));
    expect((await client.postForm('/register/confirm', { token: tokenOf(mail, '/register/confirm'), password: PASSWORD })).status).toBe(
      200,
    );
    const forged = tokenOf(mail, '/register/confirm').replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const bad = new HttpClient(stack.env.baseUrl);
    expect((await bad.get(`/register/confirm?token=${forged}`)).status).toBe(400);
    expect(bad.lastHtml).toContain('This confirmation link is not valid any more');
    expect((await bad.postForm('/register/confirm', { token: forged, password: PASSWORD })).status).toBe(400);
  });

  test('a database outage while a confirmation link is checked is a 503 "try again", never "link not valid"', async () => {
    const mail = await nextEmail(stack.env.inbox, email, 'Confirm your Entrada account');
    const client = new HttpClient(stack.env.baseUrl);
    failNextQuery(UserModel, 'findOne');
    expect((await client.get(Inbox.link(mail, '/register/confirm'))).status).toBe(503);
    expect(client.lastHtml).toContain('Try again in a moment');
    expect(client.lastHtml).not.toContain('not valid');
    expect((await client.get(Inbox.link(mail, '/register/confirm'))).status).toBe(200);
  });

  test('registering a taken address shows the same page and mails the owner instead (no enumeration)', async () => {
    const before = stack.env.inbox.messages.length;
    const { res, html } = await registerWithForm({ displayName: 'Mallory', email, password: 'another-long-password' });
    expect(res.status).toBe(200);
    expect(html).toContain('Check your inbox');
    const mail = await nextEmail(stack.env.inbox, email, 'Someone tried to create an Entrada account', before);
    expect(mail.text).toContain('nothing was changed');
    const user = await UserModel.findOne({ email }).lean();
    expect(user!.displayName).toBe('Ada Lovelace');
    expect(await verifyPassword(PASSWORD, user!.passwordHash)).toBe(true);
    expect(await UserModel.countDocuments({ email })).toBe(1);
    const [event] = await auditFor({ action: 'auth.register', outcome: 'failure' });
    expect(event.details).toEqual({ reason: 'email-taken' });
  });

  test('an address pre-registered by someone else cannot be confirmed for them (no pre-account-takeover)', async () => {
    const victim = 'victim@example.test';
    const before = stack.env.inbox.messages.length;
    await registerWithForm({ displayName: 'Attacker', email: victim, password: 'attacker-chosen-pass' });
    const attackerMail = await nextEmail(stack.env.inbox, victim, 'Confirm your Entrada account', before);

    // The mailbox owner follows the attacker's link: their own password does not fit it.
    const owner = new HttpClient(stack.env.baseUrl);
    await owner.get(Inbox.link(attackerMail, '/register/confirm'));
    expect(
      (await owner.postForm('/register/confirm', { token: tokenOf(attackerMail, '/register/confirm'), password: 'real-owners-password' }))
        .status,
    ).toBe(401);

    // Registering the address themselves restarts it with their password; the attacker's link dies.
    const mid = stack.env.inbox.messages.length;
    await registerWithForm({ displayName: 'Real Owner', email: victim, password: 'real-owners-password' });
    const ownerMail = await nextEmail(stack.env.inbox, victim, 'Confirm your Entrada account', mid);
    expect(ownerMail.text).toContain('Welcome, Real Owner');
    expect(
      (await owner.postForm('/register/confirm', { token: tokenOf(attackerMail, '/register/confirm'), password: 'attacker-chosen-pass' }))
        .status,
    ).toBe(400);
    expect(
      (await owner.postForm('/register/confirm', { token: tokenOf(ownerMail, '/register/confirm'), password: 'real-owners-password' }))
        .status,
    ).toBe(200);
    expect((await signInWithForm(stack.env.baseUrl, victim, 'attacker-chosen-pass')).res.status).toBe(401);
    expect(await UserModel.countDocuments({ email: victim })).toBe(1);
  });

  test('resend mails a new link, at most once a minute, and says the same for unknown addresses', async () => {
    const email2 = 'late@example.test';
    const before = stack.env.inbox.messages.length;
    const { client } = await registerWithForm({ displayName: 'Late Larry', email: email2, password: PASSWORD });
    const first = await nextEmail(stack.env.inbox, email2, 'Confirm', before);
    // Resends are counted per clock minute. The clock (this process's, which the app shares) is
    // set to known instants of a past minute, so the test does not depend on when it runs. The
    // app sends before it answers, so whatever a resend mailed is in the inbox at its answer.
    const minute = (Math.floor(Date.now() / 60_000) - 2) * 60_000;
    const resend = async (email: string, at: number) => {
      vi.setSystemTime(at);
      const res = await client.postForm('/register/resend', { email });
      expect(res.status).toBe(200);
      expect(client.lastHtml).toContain('Check your inbox');
      return stack.env.inbox.to(email);
    };
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const sent = await resend(email2, minute + 1_000);
      expect(sent).toHaveLength(2);
      expect(tokenOf(sent[1], '/register/confirm')).not.toBe(tokenOf(first, '/register/confirm'));
      expect(await resend(email2, minute + 58_000)).toHaveLength(2); // the same minute: no second email
      expect(await resend(email2, minute + 61_000)).toHaveLength(3); // the next minute: one more
      expect(await resend('nobody@example.test', minute + 62_000)).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('bad input', () => {
  test('weak password, bad email, missing name: the form comes back with the reason, nothing written', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ displayName: 'Weak', email: 'weak@example.test', password: 'short' }, 'Use at least 10 characters.'],
      [{ displayName: 'Weak', email: 'weak@example.test', password: 'aaaaaaaaaaaa' }, 'That password is too easy to guess.'],
      [{ displayName: 'Weak', email: 'not-an-email', password: PASSWORD }, 'Enter a valid email address'],
      [{ email: 'weak@example.test', password: PASSWORD }, 'Enter your name.'],
    ];
    for (const [fields, message] of cases) {
      const { res, html } = await registerWithForm(fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(html).toContain(message);
      expect(html).toContain(`value="${fields.displayName ?? ''}"`);
    }
    expect(await UserModel.countDocuments({ email: { $in: ['weak@example.test', 'not-an-email'] } })).toBe(0);
  });

  test('the JSON API answers 400 with a message for malformed JSON, missing fields and weak passwords', async () => {
    const client = new HttpClient(stack.env.baseUrl);
    const { body: me } = await client.api('GET', '/api/auth/me');
    expect(me).toMatchObject({ user: null, csrfToken: expect.any(String) });
    client.csrf = me.csrfToken;

    const malformed = await client.request('POST', '/api/auth/register', {
      body: '{"email":',
      headers: { 'content-type': 'application/json', 'x-csrf-token': client.csrf },
    });
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error).toEqual({ code: 'bad_json', message: 'The request body is not valid JSON.' });

    const missing = await client.api('POST', '/api/auth/register', { email: 'api@example.test' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({
      code: 'bad_request',
      message: 'Enter a password.',
      details: { fields: { password: 'Enter a password.', displayName: 'Enter your name.' } },
    });

    const weak = await client.api('POST', '/api/auth/register', {
      email: 'api@example.test',
      password: 'apiapiapiapi',
      displayName: 'Api',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toBe('Do not use your email name in the password.');
    expect(await UserModel.exists({ email: 'api@example.test' })).toBeNull();

    const ok = await client.api('POST', '/api/auth/register', { email: 'api@example.test', password: PASSWORD, displayName: 'Api' });
    expect(ok.status).toBe(202);
    const mail = await nextEmail(stack.env.inbox, 'api@example.test', 'Confirm');
    const token = tokenOf(mail, '/register/confirm');
    expect((await client.api('POST', '/api/auth/confirm', { token })).body.error.message).toBe('Enter a password.');
    expect((await client.api('POST', '/api/auth/confirm', { token, password: 'wrong-password-1' })).body.error.code).toBe('bad_password');
    const confirmed = await client.api('POST', '/api/auth/confirm', { token, password: PASSWORD });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', user: { email: 'api@example.test' }, csrfToken: expect.any(String) });
  });

  test('a form posted without its CSRF token is refused with 403 and changes nothing', async () => {
    const client = new HttpClient(stack.env.baseUrl);
    await client.get('/register');
    client.csrf = '';
    const res = await client.postForm('/register', { displayName: 'Csrf', email: 'csrf@example.test', password: PASSWORD });
    expect(res.status).toBe(403);
    expect(client.lastHtml).toContain('Your form expired or came from another site');
    const api = await client.api('POST', '/api/auth/signin', { email: 'ada@example.test', password: PASSWORD });
    expect(api.status).toBe(403);
    expect(await UserModel.exists({ email: 'csrf@example.test' })).toBeNull();
  });
});
