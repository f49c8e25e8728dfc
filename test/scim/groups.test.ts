/**
 * Groups at the endpoint under Entra's retries and mistakes: a member PATCH sent twice (Entra
 * retries after a timeout), members of another tenancy, and a PATCH after the group's DELETE.
 */
import { beforeAll, expect, test } from 'vitest';
import { ScimMemberModel } from '../../lib/models';
import { useStack } from '../support/stack';
import { entraUserBody, GROUP, provisioningTenancy, type ScimTenancy } from './support';

const stack = useStack({ entra: true });
let contoso: ScimTenancy;
let fabrikam: ScimTenancy;

beforeAll(async () => {
  contoso = await provisioningTenancy(stack, { domains: ['contoso.example'] });
  fabrikam = await provisioningTenancy(stack, { name: 'Fabrikam', domains: ['fabrikam.example'] });
});

const userIn = async (t: ScimTenancy, email: string) => (await t.scim.post('/Users', entraUserBody(email))).body.id as string;
const memberValues = async (t: ScimTenancy, groupId: string) =>
  ((await t.scim.get(`/Groups/${groupId}`)).body.members as { value: string }[]).map((m) => m.value).sort();

test('a member PATCH sent twice adds and removes once: the replay is 200 and changes nothing', async () => {
  const [ann, bo] = [await userIn(contoso, 'ann@contoso.example'), await userIn(contoso, 'bo@contoso.example')];
  const group = (
    await contoso.scim.post('/Groups', { schemas: [GROUP], displayName: 'Sales', externalId: 'b1c2d3e4-0000-4000-8000-0000000000a1' })
  ).body;
  const add = { op: 'Add', path: 'members', value: [{ value: ann }, { value: bo }] };
  for (let i = 0; i < 2; i++) expect((await contoso.scim.patch(`/Groups/${group.id}`, add)).status).toBe(200);
  expect(await memberValues(contoso, group.id)).toEqual([ann, bo].sort());
  expect(await ScimMemberModel.countDocuments({ groupId: group.id })).toBe(2);

  const remove = { op: 'Remove', path: `members[value eq "${ann}"]` };
  for (let i = 0; i < 2; i++) expect((await contoso.scim.patch(`/Groups/${group.id}`, remove)).status).toBe(200);
  expect(await memberValues(contoso, group.id)).toEqual([bo]);
});

test("another tenancy's user as a member is 400 and changes nothing; neither tenancy sees the other's group", async () => {
  const own = await userIn(contoso, 'cy@contoso.example');
  const foreign = await userIn(fabrikam, 'dee@fabrikam.example');
  const group = (
    await contoso.scim.post('/Groups', { schemas: [GROUP], displayName: 'Support', externalId: 'b1c2d3e4-0000-4000-8000-0000000000a2' })
  ).body;
  const mixed = await contoso.scim.patch(`/Groups/${group.id}`, {
    op: 'Add',
    path: 'members',
    value: [{ value: own }, { value: foreign }],
  });
  expect(mixed).toMatchObject({ status: 400, body: { status: '400', scimType: 'invalidValue' } });
  expect(mixed.body.detail).toContain(foreign);
  expect(await ScimMemberModel.countDocuments({ groupId: group.id })).toBe(0); // all or nothing: not even the own user

  expect((await fabrikam.scim.get(`/Groups/${group.id}`)).status).toBe(404);
  expect((await fabrikam.scim.patch(`/Groups/${group.id}`, { op: 'Add', path: 'members', value: [{ value: foreign }] })).status).toBe(404);
  expect((await fabrikam.scim.delete(`/Groups/${group.id}`)).status).toBe(404);
  expect((await contoso.scim.get(`/Groups/${group.id}`)).status).toBe(200);
});

test("after the group's DELETE, a replayed DELETE and a member PATCH are clear 404s, and its member rows are gone", async () => {
  const eve = await userIn(contoso, 'eve@contoso.example');
  const group = (
    await contoso.scim.post('/Groups', { schemas: [GROUP], displayName: 'Leavers', externalId: 'b1c2d3e4-0000-4000-8000-0000000000a3' })
  ).body;
  await contoso.scim.patch(`/Groups/${group.id}`, { op: 'Add', path: 'members', value: [{ value: eve }] });
  expect((await contoso.scim.delete(`/Groups/${group.id}`)).status).toBe(204);
  const replay = await contoso.scim.delete(`/Groups/${group.id}`);
  expect(replay).toMatchObject({ status: 404, body: { status: '404' } });
  expect(replay.body.detail).toContain(group.id);
  expect((await contoso.scim.patch(`/Groups/${group.id}`, { op: 'Add', path: 'members', value: [{ value: eve }] })).status).toBe(404);
  expect(await ScimMemberModel.countDocuments({ groupId: group.id })).toBe(0);
  expect((await contoso.scim.get(`/Users/${eve}`)).status).toBe(200); // the member itself is untouched
});
