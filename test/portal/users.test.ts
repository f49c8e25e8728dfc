import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { AuditEventModel, TenantModel, UserModel } from '../../lib/models';
import { bindIdentity } from '../../lib/sso/identity-binding';
import { HttpClient } from '../support/http-client';
import { createUser, signedIn } from '../support/people';
import { useStack } from '../support/stack';

/**
 * The portal's Users page: the tenancy's SSO accounts and the standard accounts of its
 * nominated domains, in email order a page at a time, searchable by email prefix; a typed
 * confirmation deletes one of its users through the deletion workflow, and nothing of
 * another tenancy is reachable.
 */
const stack = useStack({ workers: true });
const A = randomUUID();
const B = randomUUID();
let admin: HttpClient;
const ids: Record<string, string> = {};

const emailsOn = (page: string) => [...page.matchAll(/<tr data-user="([^"]+)"/g)].map((m) => m[1]);

beforeAll(async () => {
  await TenantModel.create({ tenantId: A, name: 'Alpine Ski House', stage: 'live', domains: ['alpine.test'] });
  await TenantModel.create({ tenantId: B, name: 'Bellows College', stage: 'live', domains: ['bellows.test'] });
  for (let i = 0; i < 7; i++) {
    const u = await createUser({ email: `sso${i}@alpine.test`, kind: 'sso', tenantId: A });
    ids[u.email] = String(u._id);
  }
  // Its identity bound at a sign-in (the user carries the time, lib/sso/identity-binding.ts).
  await bindIdentity(A, { objectId: randomUUID(), nameId: 'n', email: 'sso0@alpine.test' }, ids['sso0@alpine.test'], {
    at: new Date('2026-11-01T09:30:00Z'),
  });
  await createUser({ email: 'pat@alpine.test' }); // standard, in A's nominated domain
  await createUser({ email: 'pat@elsewhere.test' }); // standard, no tenancy's
  const b = await createUser({ email: 'sso@bellows.test', kind: 'sso', tenantId: B });
  ids[b.email] = String(b._id);
  await createUser({ email: 'admin@alpine.test', tenantAdminOf: [A] });
  admin = await signedIn(stack.env.baseUrl, 'admin@alpine.test');
});

describe('portal users', () => {
  test('pages through the tenancy in email order by cursor, with sign-in kind and last SSO sign-in', async () => {
    const seen: string[] = [];
    let path = `/portal/${A}/users?limit=3`;
    for (let pages = 0; pages < 10; pages++) {
      expect((await admin.get(path)).status).toBe(200);
      seen.push(...emailsOn(admin.lastHtml));
      const next = admin.lastHtml.match(/<a rel="next" href="([^"]+)"/)?.[1];
      if (!next) break;
      path = `${next.replace(/&amp;/g, '&')}&limit=3`;
    }
    const expected = ['admin@alpine.test', 'pat@alpine.test', ...Array.from({ length: 7 }, (_, i) => `sso${i}@alpine.test`)].sort();
    expect(seen).toEqual(expected);
    await admin.get(`/portal/${A}/users?q=sso0`);
    expect(emailsOn(admin.lastHtml)).toEqual(['sso0@alpine.test']);
    expect(admin.lastHtml).toMatch(/data-migration="sso">[\s\S]*?<time[^>]*datetime="2026-11-01T09:30:00.000Z"/);
    await admin.get(`/portal/${A}/users?q=pat`);
    expect(admin.lastHtml).toMatch(/<tr data-user="pat@alpine.test" data-migration="standard">/);
    expect(admin.lastHtml).not.toContain('elsewhere.test');
  });

  test('a user of another tenancy is not found, under every users route', async () => {
    const other = ids['sso@bellows.test'];
    for (const path of [
      `/portal/${A}/users/${other}/delete`,
      `/portal/${A}/users/${other}/deletion`,
      `/portal/${A}/users/nonsense/delete`,
    ]) {
      expect((await admin.get(path)).status, path).toBe(404);
    }
    expect(
      (await admin.postForm(`/portal/${A}/users/${other}/delete`, { confirmEmail: 'sso@bellows.test', reason: 'not mine' })).status,
    ).toBe(404);
    expect((await UserModel.findById(other).lean())!.status).toBe('active');
  });

  test('deleting asks for the email typed out, then runs the deletion workflow and shows its progress', async () => {
    const id = ids['sso3@alpine.test'];
    await admin.get(`/portal/${A}/users/${id}/delete`);
    const wrong = await admin.postForm(`/portal/${A}/users/${id}/delete`, { confirmEmail: 'sso3@alpine', reason: 'left the company' });
    expect(wrong.status).toBe(400);
    expect(admin.lastHtml).toContain('Type sso3@alpine.test exactly to confirm.');
    expect((await UserModel.findById(id).lean())!.status).toBe('active');

    const res = await admin.postForm(
      `/portal/${A}/users/${id}/delete`,
      { confirmEmail: 'SSO3@alpine.test ', reason: 'left the company' },
      { redirect: 'manual' },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/portal/${A}/users/${id}/deletion`);
    const deadline = Date.now() + 20_000;
    while (!/data-status="deleted"/.test(admin.lastHtml) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      await admin.get(`/portal/${A}/users/${id}/deletion`);
    }
    expect(admin.lastHtml).toMatch(/data-status="deleted"/);
    const event = await AuditEventModel.findOne({ action: 'user.deletion.request', 'target.id': id }).lean();
    expect(event).toMatchObject({
      outcome: 'success',
      actor: { kind: 'user', email: 'admin@alpine.test' },
      details: { reason: 'left the company' },
    });
  });
});
