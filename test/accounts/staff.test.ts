import { beforeAll, describe, expect, test } from 'vitest';
import { AuditEventModel } from '../../lib/models';
import { issueStaffToken, revokeStaffTokens } from '../../lib/accounts/staff-accounts';
import { HttpClient } from '../support/http-client';
import { json } from './helpers';
import { createUser, PASSWORD, signedIn, signInWithForm } from '../support/people';
import { useStack } from '../support/stack';

const stack = useStack();
let token: string;
let staffUserId: string;
beforeAll(async () => {
  staffUserId = (await createUser({ email: 'root@entrada.test', isStaff: true, displayName: 'Rita Root' })).id;
  await createUser({ email: 'plain@example.test', displayName: 'Plain Paul' });
  await createUser({ email: 'sso.sam@corp.example', kind: 'sso', displayName: 'Sam Sso' });
  await createUser({ email: 'gone@example.test', status: 'deleting' });
  ({ token } = await issueStaffToken('root@entrada.test', 'tests'));
});

const bearer = (path: string, t = token, method = 'GET') =>
  fetch(`${stack.env.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${t}` } });

describe('the staff guard', () => {
  test('visitors are sent to sign in (pages) or get 401 (API); non-staff get 403', async () => {
    const anon = new HttpClient(stack.env.baseUrl);
    const page = await anon.get('/staff/users', { redirect: 'manual' });
    expect([page.status, page.headers.get('location')]).toEqual([303, '/signin?next=%2Fstaff%2Fusers']);
    expect((await anon.api('GET', '/api/staff/audit')).status).toBe(401);

    const paul = await signedIn(stack.env.baseUrl, 'plain@example.test');
    expect((await paul.get('/staff')).status).toBe(403);
    expect(paul.lastHtml).toContain('Staff only.');
    expect(await paul.api('GET', '/api/staff/users')).toEqual({
      status: 403,
      body: { error: { code: 'forbidden', message: 'Staff only.' } },
    });
    expect(paul.lastHtml).not.toContain('href="/staff"');
  });

  test('a staff session sees the console and its sections', async () => {
    const rita = await signedIn(stack.env.baseUrl, 'root@entrada.test');
    expect((await rita.get('/staff')).status).toBe(200);
    expect(rita.lastHtml).toContain('href="/staff/users"');
    expect(rita.lastHtml).toContain('href="/staff/audit"');
    const api = await rita.api('GET', '/api/staff');
    expect(api.body.sections.map((s: { path: string }) => s.path)).toEqual(expect.arrayContaining(['users', 'audit']));
  });

  test('a bearer token works without a session; revoked or unknown tokens get 401', async () => {
    const ok = await bearer('/api/staff/users?q=paul');
    expect(ok.status).toBe(200);
    expect((await json(ok)).users.map((u: { email: string }) => u.email)).toEqual(['plain@example.test']);

    const spare = await issueStaffToken('root@entrada.test', 'spare');
    expect((await bearer('/api/staff/users', spare.token)).status).toBe(200);
    await revokeStaffTokens({ id: spare.id });
    const revoked = await bearer('/api/staff/users', spare.token);
    expect(revoked.status).toBe(401);
    expect(await json(revoked)).toEqual({ error: { code: 'unauthorized', message: 'Invalid or revoked staff token.' } });
    expect((await bearer('/api/staff/users', 'est_made-up')).status).toBe(401);
    expect((await bearer('/api/staff/users')).status).toBe(200);
  });

  test('tokens are only issued to active staff users', async () => {
    await expect(issueStaffToken('plain@example.test')).rejects.toThrow('No active staff user plain@example.test');
  });
});

describe('users', () => {
  test('search by text, kind and status; a user page shows facts and activity; never the password hash', async () => {
    const get = async (qs: string) =>
      (await json(await bearer(`/api/staff/users?${qs}`))).users.map((u: { email: string }) => u.email).sort();
    expect(await get('kind=sso')).toEqual(['sso.sam@corp.example']);
    expect(await get('status=deleting')).toEqual(['gone@example.test']);
    expect(await get('q=RITA')).toEqual(['root@entrada.test']);
    expect(await get('q=.*')).toEqual([]); // text, not a regular expression
    expect(await get('q=oot')).toEqual([]); // "starts with": not inside "Root" or "root@"
    expect(await get('q=root%40ent')).toEqual(['root@entrada.test']);
    expect(await get('limit=2')).toHaveLength(2);

    const bad = await bearer('/api/staff/users?kind=robot');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toBe('kind: expected one of standard, sso');

    const one = await json(await bearer(`/api/staff/users/${staffUserId}`));
    expect(one.user).toMatchObject({ email: 'root@entrada.test', isStaff: true, hasPassword: true, kind: 'standard' });
    expect(JSON.stringify(one)).not.toContain('scrypt');
    expect((await bearer('/api/staff/users/not-an-id')).status).toBe(404);
    expect((await bearer('/api/staff/users/0123456789abcdef01234567')).status).toBe(404);

    const rita = await signedIn(stack.env.baseUrl, 'root@entrada.test');
    await rita.get('/staff/users?kind=standard');
    expect(rita.lastHtml).toContain('plain@example.test');
    expect(rita.lastHtml).not.toContain('sso.sam@corp.example');
    expect(rita.lastHtml).toContain('Email or name starts with');
    await rita.get(`/staff/users/${staffUserId}`);
    expect(rita.lastHtml).toContain('Rita Root');
    expect(rita.lastHtml).toContain('auth.signin');
  });
});

describe('audit trail', () => {
  test('filters by action (exact or prefix), outcome, actor, target, time, and pages newest first', async () => {
    const start = new Date();
    await signInWithForm(stack.env.baseUrl, 'plain@example.test', 'wrong-password-x');
    await signInWithForm(stack.env.baseUrl, 'plain@example.test', PASSWORD);
    const list = async (qs: string) => {
      const res = await bearer(`/api/staff/audit?${qs}`);
      expect(res.status, qs).toBe(200);
      return (await json(res)) as {
        events: { id: string; action: string; outcome: string; actor: { email?: string }; target?: { id: string }; at: string }[];
        next: string | null;
      };
    };
    const since = `from=${encodeURIComponent(start.toISOString())}`;
    const failures = await list(`action=auth.signin&outcome=failure&actor=Plain@example.test&${since}`);
    expect(failures.events).toHaveLength(1);
    expect(failures.events[0]).toMatchObject({
      action: 'auth.signin',
      outcome: 'failure',
      actor: { email: 'plain@example.test' },
      details: { reason: 'wrong-password' },
      ip: expect.any(String),
    });

    const all = await list(`action=auth.*&actor=plain@example.test&${since}`);
    expect(all.events.map((e) => `${e.action}:${e.outcome}`)).toEqual(['auth.signin:success', 'auth.signin:failure']);
    const byTarget = await list(`target=${all.events[0].target!.id}&${since}`);
    expect(byTarget.events.map((e) => e.id)).toEqual(all.events.map((e) => e.id));
    expect(
      (await list(`actor=plain@example.test&to=${encodeURIComponent(start.toISOString())}&action=auth.signin&outcome=failure`)).events,
    ).toHaveLength(0);

    const page1 = await list(`limit=1&actor=plain@example.test&${since}`);
    expect(page1.events).toHaveLength(1);
    const page2 = await list(`limit=1&actor=plain@example.test&${since}&before=${page1.next}`);
    expect(page2.events[0].id).not.toBe(page1.events[0].id);
    expect(page2.events[0].at <= page1.events[0].at).toBe(true);
  });

  test('bad filters are 400s that say what was expected', async () => {
    const cases: [string, string][] = [
      ['outcome=maybe', 'outcome: expected one of success, failure, denied'],
      ['from=yesterday', 'from: expected a time like 2025-01-31T09:00Z, got "yesterday"'],
      ['before=nope', 'before: expected an audit event ID'],
      ['before=0123456789abcdef01234567', 'No audit event 0123456789abcdef01234567 to page from.'],
      ['limit=0', 'limit: expected a number from 1 to 1000'],
      ['limit=ten', 'limit: expected a number from 1 to 1000'],
    ];
    for (const [qs, message] of cases) {
      const res = await bearer(`/api/staff/audit?${qs}`);
      expect(res.status, qs).toBe(400);
      expect((await json(res)).error.message, qs).toBe(message);
    }
  });

  test('the console page filters and links to the export', async () => {
    const rita = await signedIn(stack.env.baseUrl, 'root@entrada.test');
    await rita.get('/staff/audit?action=auth.signin&outcome=failure');
    expect(rita.lastHtml).toContain('wrong-password');
    expect(rita.lastHtml).toContain('href="/api/staff/audit/export?action=auth.signin&amp;outcome=failure"');
    expect(rita.lastHtml).not.toContain('<td>auth.signout</td>');
  });

  test('NDJSON export streams every matching event oldest first, resumes after an ID, and is itself audited', async () => {
    const base = new Date(Date.now() - 60 * 60 * 1000);
    await AuditEventModel.insertMany(
      Array.from({ length: 2500 }, (_, i) => ({
        at: new Date(base.getTime() + i),
        action: 'test.bulk',
        outcome: 'success',
        actor: { kind: 'system' },
        details: { i },
      })),
    );
    const res = await bearer('/api/staff/audit/export?action=test.bulk');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="entrada-audit-.*\.ndjson"$/);
    const lines = (await res.text()).split('\n');
    expect(lines.pop()).toBe('');
    const events = lines.map((l) => JSON.parse(l));
    expect(events).toHaveLength(2500);
    expect(events.map((e) => e.details.i)).toEqual(Array.from({ length: 2500 }, (_, i) => i));

    const rest = await (await bearer(`/api/staff/audit/export?action=test.bulk&after=${events[2399].id}`)).text();
    expect(
      rest
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).details.i),
    ).toEqual(Array.from({ length: 100 }, (_, i) => 2400 + i));

    const [exported] = await AuditEventModel.find({ action: 'staff.audit-exported' }).lean();
    expect(exported).toMatchObject({ outcome: 'success', actor: { kind: 'staff', email: 'root@entrada.test' } });
  });

  test('events cannot be changed or removed through the API', async () => {
    const event = await AuditEventModel.findOne({ action: 'auth.signin' }).lean();
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      expect((await bearer(`/api/staff/audit/${event!._id}`, token, method)).status, method).toBe(404);
    }
    expect(await AuditEventModel.findById(event!._id).lean()).toEqual(event);
  });
});
