/**
 * The SCIM endpoint on the real web app: create and look-up as Entra does them, PATCH in its
 * dialect, errors in the SCIM error schema, and what each operation does to the account.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { AuditEventModel, ScimUserModel, SsoIdentityModel, UserModel } from '../../lib/models';
import { issueScimToken } from '../../lib/scim/tokens';
import { failNextCall } from '../support/faults';
import { SsoBrowser } from '../support/sso';
import { useStack } from '../support/stack';
import { ENTERPRISE, entraUserBody, provisioningTenancy, type ScimTenancy } from './support';

const stack = useStack({ entra: true, workers: true });
let contoso: ScimTenancy;

beforeAll(async () => {
  contoso = await provisioningTenancy(stack, { domains: ['contoso.example'] });
});

describe('create and find, as Entra does', () => {
  test('a filter look-up that finds nothing, then a create: an SSO account bound to (tenant, object ID) from externalId', async () => {
    const body = entraUserBody('ann@contoso.example', { givenName: 'Ann', familyName: 'Lee', department: 'Finance' });
    const none = await contoso.scim.filter('userName', 'ann@contoso.example');
    expect(none).toMatchObject({
      status: 200,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] },
    });

    const created = await contoso.scim.post('/Users', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(created.body).toMatchObject({
      userName: 'ann@contoso.example',
      externalId: body.externalId,
      active: true,
      [ENTERPRISE]: { department: 'Finance' },
      meta: { resourceType: 'User' },
    });
    expect(created.headers.get('location')).toBe(`${contoso.scim.base}/Users/${created.body.id}`);

    const user = await UserModel.findOne({ email: 'ann@contoso.example' }).lean();
    expect(user).toMatchObject({
      kind: 'sso',
      status: 'active',
      tenantId: contoso.tenantId,
      displayName: 'Ann Lee',
      givenName: 'Ann',
      surname: 'Lee',
    });
    const identity = await SsoIdentityModel.findOne({ tenantId: contoso.tenantId, objectId: body.externalId }).lean();
    expect(String(identity?.userId)).toBe(String(user?._id));

    for (const [attr, value] of [
      ['userName', 'ANN@contoso.example'],
      ['externalId', body.externalId],
      ['id', created.body.id],
    ]) {
      const found = await contoso.scim.filter(attr, value);
      expect(found.body.totalResults, attr).toBe(1);
      expect(found.body.Resources[0].id).toBe(created.body.id);
    }
    expect((await contoso.scim.get(`/Users/${created.body.id}`)).body).toEqual(created.body);
  });

  test('the SCIM-created user signs in by SSO to that same account', async () => {
    const body = entraUserBody('ben@contoso.example');
    const created = await contoso.scim.post('/Users', body);
    contoso.emulated.addUser({ email: 'ben@contoso.example', objectId: body.externalId });
    const browser = new SsoBrowser(stack.env, contoso);
    expect((await browser.signIn('ben@contoso.example')).status).toBe(303);
    expect(await browser.whoAmI()).toBe('ben@contoso.example');
    expect(await UserModel.countDocuments({ email: 'ben@contoso.example' })).toBe(1);
    const scim = await ScimUserModel.findById(created.body.id).lean();
    expect(String((await UserModel.findOne({ email: 'ben@contoso.example' }).lean())?._id)).toBe(String(scim?.userId));
  });

  test('a second create of the same object or userName is 409 uniqueness, and nothing is added', async () => {
    const body = entraUserBody('cat@contoso.example');
    expect((await contoso.scim.post('/Users', body)).status).toBe(201);
    const users = await UserModel.countDocuments();
    const again = await contoso.scim.post('/Users', body);
    expect(again).toMatchObject({
      status: 409,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness' },
    });
    const sameName = await contoso.scim.post('/Users', { ...entraUserBody('cat@contoso.example'), userName: 'CAT@contoso.example' });
    expect(sameName).toMatchObject({ status: 409, body: { scimType: 'uniqueness' } });
    expect(await UserModel.countDocuments()).toBe(users);
  });

  test('an address outside the nominated domains, or an externalId that is not an object ID, is refused with the fix', async () => {
    const outside = await contoso.scim.post('/Users', entraUserBody('eve@elsewhere.example'));
    expect(outside).toMatchObject({ status: 400, body: { status: '400', scimType: 'invalidValue' } });
    expect(outside.body.detail).toContain("outside this tenancy's nominated domains (contoso.example)");
    const nickname = await contoso.scim.post('/Users', { ...entraUserBody('fay@contoso.example'), externalId: 'fay' });
    expect(nickname.body.detail).toContain('map objectId to externalId');
    expect(await UserModel.countDocuments({ email: { $in: ['eve@elsewhere.example', 'fay@contoso.example'] } })).toBe(0);
  });
});

describe('updates', () => {
  test("PATCH in Entra's dialect updates the account; an email change is the same account, never a deletion", async () => {
    const created = await contoso.scim.post('/Users', entraUserBody('gus@contoso.example', { givenName: 'Gus' }));
    const before = await UserModel.findOne({ email: 'gus@contoso.example' }).lean();
    const res = await contoso.scim.patch(
      `/Users/${created.body.id}`,
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'gustav@contoso.example' },
      { op: 'Replace', path: 'userName', value: 'gustav@contoso.example' },
      { op: 'replace', path: 'name.givenName', value: 'Gustav' },
      { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Legal' },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      userName: 'gustav@contoso.example',
      emails: [{ value: 'gustav@contoso.example' }],
      name: { givenName: 'Gustav' },
      [ENTERPRISE]: { department: 'Legal' },
    });
    const after = await UserModel.findById(before!._id).lean();
    expect(after).toMatchObject({ email: 'gustav@contoso.example', givenName: 'Gustav', status: 'active' });
    expect(await UserModel.countDocuments({ email: /^gus/ })).toBe(1);
    expect(await AuditEventModel.countDocuments({ action: /deletion|deprovision/, 'target.id': String(before!._id) })).toBe(0);
  });

  test('an email or userName that belongs to another account is 409 uniqueness, and nothing changes', async () => {
    await contoso.scim.post('/Users', entraUserBody('hal@contoso.example'));
    const ida = await contoso.scim.post('/Users', entraUserBody('ida@contoso.example'));
    const before = await ScimUserModel.findById(ida.body.id).lean();
    const email = await contoso.scim.patch(
      `/Users/${ida.body.id}`,
      { op: 'replace', path: 'displayName', value: 'Ida changed' },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'hal@contoso.example' },
    );
    expect(email).toMatchObject({ status: 409, body: { scimType: 'uniqueness' } });
    const name = await contoso.scim.patch(`/Users/${ida.body.id}`, { op: 'replace', path: 'userName', value: 'HAL@contoso.example' });
    expect(name).toMatchObject({ status: 409, body: { scimType: 'uniqueness' } });
    expect(await ScimUserModel.findById(ida.body.id).lean()).toEqual(before);
    expect(await UserModel.findOne({ email: 'ida@contoso.example' }).lean()).toMatchObject({ displayName: 'ida Tester' });
  });

  test('a malformed path or filter is 400 invalidPath / invalidFilter, and nothing changes', async () => {
    const jo = await contoso.scim.post('/Users', entraUserBody('jo@contoso.example'));
    const before = await ScimUserModel.findById(jo.body.id).lean();
    const bad = await contoso.scim.patch(
      `/Users/${jo.body.id}`,
      { op: 'replace', path: 'displayName', value: 'X' },
      { op: 'replace', path: 'emails[type eq "work"', value: 'x@contoso.example' },
    );
    expect(bad).toMatchObject({ status: 400, body: { status: '400', scimType: 'invalidPath' } });
    expect(await ScimUserModel.findById(jo.body.id).lean()).toEqual(before);
    const filter = await contoso.scim.get(`/Users?filter=${encodeURIComponent('userName eq jo@contoso.example')}`);
    expect(filter).toMatchObject({ status: 400, body: { scimType: 'invalidFilter' } });
  });

  test('active "False" suspends (sessions end, sign-in refused with a clear page, data kept); true restores', async () => {
    const body = entraUserBody('kim@contoso.example');
    const kim = await contoso.scim.post('/Users', body);
    contoso.emulated.addUser({ email: 'kim@contoso.example', objectId: body.externalId });
    const browser = new SsoBrowser(stack.env, contoso);
    await browser.signIn('kim@contoso.example');
    expect(await browser.whoAmI()).toBe('kim@contoso.example');

    expect((await contoso.scim.patch(`/Users/${kim.body.id}`, { op: 'Replace', path: 'active', value: 'False' })).body.active).toBe(false);
    expect(await browser.whoAmI()).toBeUndefined();
    const refused = await new SsoBrowser(stack.env, contoso).signIn('kim@contoso.example');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('suspended');
    expect(await UserModel.findOne({ email: 'kim@contoso.example' }).lean()).toMatchObject({ status: 'suspended' });

    expect((await contoso.scim.patch(`/Users/${kim.body.id}`, { op: 'replace', path: 'active', value: true })).body.active).toBe(true);
    const again = new SsoBrowser(stack.env, contoso);
    expect((await again.signIn('kim@contoso.example')).status).toBe(303);
    expect(await again.whoAmI()).toBe('kim@contoso.example');
  });
});

describe('authentication and isolation', () => {
  test("a wrong, missing or other tenancy's secret is 401 and audited; no tenancy reaches another's users", async () => {
    const fabrikam = await provisioningTenancy(stack, { name: 'Fabrikam', domains: ['fabrikam.example'] });
    const ann = (await contoso.scim.post('/Users', entraUserBody('zed@contoso.example'))).body;
    const asFabrikam = new (contoso.scim.constructor as typeof import('./support').ScimClient)(contoso.scim.base, fabrikam.scim.token);
    expect(await asFabrikam.get(`/Users/${ann.id}`)).toMatchObject({ status: 401, body: { status: '401' } });
    expect((await fabrikam.scim.get(`/Users/${ann.id}`)).status).toBe(404);
    expect((await fabrikam.scim.filter('userName', 'zed@contoso.example')).body.totalResults).toBe(0);
    expect((await fabrikam.scim.patch(`/Users/${ann.id}`, { op: 'replace', path: 'active', value: false })).status).toBe(404);
    expect((await fabrikam.scim.delete(`/Users/${ann.id}`)).status).toBe(404);
    expect(await UserModel.findOne({ email: 'zed@contoso.example' }).lean()).toMatchObject({ status: 'active' });

    const wrong = await fetch(`${contoso.scim.base}/Users`, { headers: { authorization: 'Bearer scim_not-a-secret' } });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${contoso.scim.base}/Users`)).status).toBe(401);
    const reasons = (
      await AuditEventModel.find({ action: 'scim.auth.refused', tenantId: contoso.tenantId }).sort({ at: 1, _id: 1 }).lean()
    ).map((e) => e.details.reason);
    expect(reasons).toEqual(['other-tenancy', 'unknown', 'missing']);
  });

  test('a secret rotated out is 401 and audited once its overlap is over, although it was used a moment before', async () => {
    const tailspin = await provisioningTenancy(stack, { name: 'Tailspin', domains: ['tailspin.example'] });
    expect((await tailspin.scim.filter('userName', 'kim@tailspin.example')).status).toBe(200); // the old secret, just seen
    const { token } = await issueScimToken(tailspin.tenantId, { kind: 'staff', email: 'staff@entrada.test' }, { overlapMs: 1_500 });
    expect((await tailspin.scim.filter('userName', 'kim@tailspin.example')).status).toBe(200); // inside the overlap
    await new Promise((r) => setTimeout(r, 1_600));
    expect(await tailspin.scim.filter('userName', 'kim@tailspin.example')).toMatchObject({ status: 401, body: { status: '401' } });
    expect(await AuditEventModel.findOne({ action: 'scim.auth.refused', tenantId: tailspin.tenantId }).lean()).toMatchObject({
      details: { reason: 'expired' },
    });
    tailspin.scim.token = token;
    expect((await tailspin.scim.post('/Users', entraUserBody('kim@tailspin.example'))).status).toBe(201);
  });
});

describe('faults', () => {
  test('the database gone in the middle of a create is a 503 in the SCIM error schema; the create Entra sends again finishes it, once', async () => {
    const body = entraUserBody('ola@contoso.example');
    failNextCall(UserModel, 'create'); // after the SCIM record claimed the object, before the account exists
    const failed = await contoso.scim.post('/Users', body);
    expect(failed).toMatchObject({ status: 503, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503' } });
    expect(failed.headers.get('retry-after')).toBeTruthy();
    expect(failed.body.detail).not.toContain('injected');

    const retried = await contoso.scim.post('/Users', body);
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(await ScimUserModel.countDocuments({ externalId: body.externalId })).toBe(1);
    expect(await UserModel.countDocuments({ email: 'ola@contoso.example' })).toBe(1);
    const identity = await SsoIdentityModel.findOne({ tenantId: contoso.tenantId, objectId: body.externalId }).lean();
    expect(String(identity?.userId)).toBe(String((await UserModel.findOne({ email: 'ola@contoso.example' }).lean())?._id));
  });
});
