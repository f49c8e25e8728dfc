/**
 * Database commands per request of Entra's initial sync (a filter look-up that finds nothing,
 * then a create), counted with the driver's command monitoring. The sync of a large directory
 * is thousands of these; each command is a FerretDB and a PostgreSQL round trip here.
 */
import { beforeAll, expect, test } from 'vitest';
import { useStack } from '../support/stack';
import { commandsDuring } from '../support/db-commands';
import { entraUserBody, provisioningTenancy, type ScimTenancy } from './support';

const stack = useStack({ entra: true });
let tenant: ScimTenancy;

beforeAll(async () => {
  tenant = await provisioningTenancy(stack, { domains: ['trips.example'] });
  await tenant.scim.post('/Users', entraUserBody('first@trips.example')); // steady state: the secret was seen before
});

/**
 * Was 3 + 10: the secret and the tenancy were read on every request (now kept for a few
 * seconds), the create wrote two audit events for one act and read its record back. 6 until the
 * portal's user list: a new user's buckets go into its directory first, one insert of rows this
 * process has not seen listed (lib/models/user-list-keys.ts), so 7.
 */
test('the initial sync of a user (a filter look-up, then a create) takes 1 + 7 database commands', async () => {
  const statuses: number[] = [];
  const lookUp = await commandsDuring(async () => statuses.push((await tenant.scim.filter('userName', 'new@trips.example')).status));
  const create = await commandsDuring(async () =>
    statuses.push((await tenant.scim.post('/Users', entraUserBody('new@trips.example'))).status),
  );
  expect(statuses).toEqual([200, 201]);
  expect(lookUp, lookUp.join('\n')).toEqual(['find scimusers']);
  expect(create.length, create.join('\n')).toBeLessThanOrEqual(7);
});
