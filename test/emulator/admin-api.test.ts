import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntraEmulator } from '../../emulator';
import { ACS_URL, SP_ENTITY_ID, spFor } from './support';

const emulator = createEntraEmulator();
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  server = await emulator.listen(0);
});
afterAll(() => server.close());

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}/_admin${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('admin JSON API', () => {
  it('creates, lists and reads tenants', async () => {
    const created = await call('POST', '/tenants', { name: 'Adatum', signing: 'both' });
    expect(created.status).toBe(201);
    const tid = created.json.tenantId as string;
    expect(tid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.json).toMatchObject({
      name: 'Adatum',
      signing: 'both',
      issuer: `https://sts.windows.net/${tid}/`,
      metadataUrl: `${server.url}/${tid}/federationmetadata/2007-06/federationmetadata.xml`,
      ssoUrl: `${server.url}/${tid}/saml2`,
      users: [],
    });
    expect(created.json.certificates).toHaveLength(1);
    expect(created.json.certificates[0].active).toBe(true);
    expect((await call('GET', `/tenants/${tid}`)).json.name).toBe('Adatum');
    expect((await call('GET', '/tenants')).json.map((t: { tenantId: string }) => t.tenantId)).toContain(tid);
    expect((await call('POST', '/tenants', { tenantId: tid })).status).toBe(409);
    expect(emulator.getTenant(tid)?.signing).toBe('both');
  });

  it.each([
    ['bad signing mode', { signing: 'sometimes' }, /signing/],
    ['unknown property', { colour: 'blue' }, /colour/],
    ['reserved tenant ID', { tenantId: 'common' }, /Invalid tenant ID/],
    ['tenant ID with a slash', { tenantId: 'a/b' }, /Invalid tenant ID/],
    ['malformed JSON', '{"name":', /JSON/],
  ])('POST /tenants with %s → 400', async (_name, body, message) => {
    const res = await call('POST', '/tenants', body);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(message);
  });

  it('manages users: add, groups, recreate (new object ID), delete', async () => {
    const tid = (await call('POST', '/tenants', { name: 'Users' })).json.tenantId;
    expect((await call('POST', `/tenants/${tid}/users`, { email: 'not-an-email' })).status).toBe(400);
    expect((await call('POST', `/tenants/${tid}/users`, { email: 'a@users.example', groups: 'g1' })).status).toBe(400);
    const added = await call('POST', `/tenants/${tid}/users`, { email: 'a@users.example', displayName: 'A', groups: ['g1'] });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ email: 'a@users.example', displayName: 'A', groups: ['g1'] });
    expect((await call('POST', `/tenants/${tid}/users`, { email: 'A@users.example' })).status).toBe(409);

    const grouped = await call('PUT', `/tenants/${tid}/users/a%40users.example/groups`, { groups: ['g2', 'g3'] });
    expect(grouped.json.groups).toEqual(['g2', 'g3']);
    expect((await call('PUT', `/tenants/${tid}/users/a%40users.example/groups`, {})).status).toBe(400);

    const recreated = await call('POST', `/tenants/${tid}/users/a%40users.example/recreate`);
    expect(recreated.status).toBe(200);
    expect(recreated.json.email).toBe('a@users.example');
    expect(recreated.json.objectId).not.toBe(added.json.objectId);
    expect(emulator.getTenant(tid)!.findUser('a@users.example')!.objectId).toBe(recreated.json.objectId);

    expect((await call('DELETE', `/tenants/${tid}/users/a%40users.example`)).status).toBe(204);
    expect((await call('DELETE', `/tenants/${tid}/users/a%40users.example`)).status).toBe(404);
    expect((await call('GET', `/tenants/${tid}`)).json.users).toEqual([]);
    expect((await call('POST', '/tenants/nope/users', { email: 'x@y.example' })).status).toBe(404);
  });

  it('rolls certificates over', async () => {
    const tid = (await call('POST', '/tenants', {})).json.tenantId;
    const first = (await call('GET', `/tenants/${tid}`)).json.certificates[0].thumbprint;
    const added = await call('POST', `/tenants/${tid}/certificates`);
    expect(added.status).toBe(201);
    expect(added.json.certPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const activated = await call('POST', `/tenants/${tid}/certificates/${added.json.thumbprint}/activate`);
    expect(activated.json.map((c: { thumbprint: string; active: boolean }) => [c.thumbprint, c.active])).toEqual([
      [first, false],
      [added.json.thumbprint, true],
    ]);
    expect((await call('DELETE', `/tenants/${tid}/certificates/${added.json.thumbprint}`)).status).toBe(400);
    expect((await call('DELETE', `/tenants/${tid}/certificates/${first}`)).status).toBe(204);
    expect((await call('POST', `/tenants/${tid}/certificates/ABCDEF/activate`)).status).toBe(404);
  });

  it('issues SAML responses for other processes', async () => {
    const tid = (await call('POST', '/tenants', {})).json.tenantId;
    await call('POST', `/tenants/${tid}/users`, { email: 'c@issue.example' });
    const body = { email: 'c@issue.example', acsUrl: ACS_URL, audience: SP_ENTITY_ID, relayState: 'r' };
    const issued = await call('POST', `/tenants/${tid}/saml-responses`, body);
    expect(issued.status).toBe(200);
    expect(issued.json.relayState).toBe('r');
    const { profile } = await spFor(emulator.getTenant(tid)!).validatePostResponseAsync({ SAMLResponse: issued.json.samlResponse });
    expect(profile?.nameID).toBe('c@issue.example');
    expect((await call('POST', `/tenants/${tid}/saml-responses`, { ...body, acsUrl: 'javascript:x' })).status).toBe(400);
    expect((await call('POST', `/tenants/${tid}/saml-responses`, { ...body, email: 'nobody@issue.example' })).json.error).toMatch(
      /AADSTS50034/,
    );
  });

  it('GET / lists tenants, users and object IDs (escaped)', async () => {
    const t = emulator.createTenant({ name: '<Directory>' });
    const u = t.addUser({ email: 'dir@directory.example' });
    const html = await (await fetch(`${server.url}/`)).text();
    expect(html).toContain('&lt;Directory&gt;');
    expect(html).toContain(u.objectId);
    expect(html).toContain(t.metadataUrl());
  });
});

describe('programmatic API', () => {
  it('keeps object IDs immutable and emails case-insensitive', () => {
    const t = emulator.createTenant({ tenantId: 'readable-tenant' });
    expect(emulator.getTenant('READABLE-TENANT')).toBe(t);
    const u = t.addUser({ email: 'Mixed@Case.example', objectId: 'fixed-oid' });
    expect(() => ((u as { objectId: string }).objectId = 'changed')).toThrow();
    expect(t.findUser('mixed@case.example')?.objectId).toBe('fixed-oid');
    expect(t.recreateUser('mixed@case.example').objectId).not.toBe('fixed-oid');
    t.removeUser('mixed@case.example');
    expect(t.findUser('mixed@case.example')).toBeUndefined();
    expect(() => t.removeUser('mixed@case.example')).toThrow(/No user/);
  });

  it('exports and re-imports state with the same IDs and keys', async () => {
    const t = emulator.createTenant({ name: 'Persisted', signing: 'response' });
    t.addUser({ email: 'p@persisted.example', groups: ['g'] });
    t.addSigningCertificate();
    const copy = createEntraEmulator({ baseUrl: 'http://elsewhere.test' });
    copy.importState(JSON.parse(JSON.stringify(emulator.exportState())));
    const restored = copy.getTenant(t.tenantId)!;
    expect(restored.signing).toBe('response');
    expect(restored.findUser('p@persisted.example')).toEqual(t.findUser('p@persisted.example'));
    expect(restored.signingCertificates()).toEqual(t.signingCertificates());
    const issued = restored.issueSamlResponse({ email: 'p@persisted.example', acsUrl: ACS_URL, audience: SP_ENTITY_ID });
    await spFor(t, { wantAuthnResponseSigned: true, wantAssertionsSigned: false }).validatePostResponseAsync({
      SAMLResponse: issued.samlResponse,
    });
  });
});
