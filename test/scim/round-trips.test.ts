/**
 * Database commands per request of Entra's initial sync (a filter look-up that finds nothing,
 * then a create), counted with the driver's command monitoring. The sync of a large directory
 * is thousands of these; each command is a FerretDB and a PostgreSQL round trip here.
 */
import { beforeAll, expect, test } from 'vitest';
import mongoose from 'mongoose';
import { useStack } from '../support/stack';
import { entraUserBody, provisioningTenancy, type ScimTenancy } from './support';

type CommandStartedEvent = mongoose.mongo.CommandStartedEvent;
const stack = useStack({ entra: true });
let tenant: ScimTenancy;

beforeAll(async () => {
  tenant = await provisioningTenancy(stack, { domains: ['trips.example'] });
  await tenant.scim.post('/Users', entraUserBody('first@trips.example')); // steady state: the secret was seen before
});

async function commandsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const db = mongoose.connection.db!.databaseName;
  const listener = (e: CommandStartedEvent) => {
    if (e.databaseName === db) seen.push(`${e.commandName} ${String(e.command[e.commandName])}`);
  };
  const client = mongoose.connection.getClient();
  client.on('commandStarted', listener);
  try {
    await fn();
  } finally {
    client.off('commandStarted', listener);
  }
  return seen;
}

/**
 * Was 3 + 10: the secret and the tenancy were read on every request (now kept for a few
 * seconds), the create wrote two audit events for one act and read its record back.
 */
test('the initial sync of a user (a filter look-up, then a create) takes 1 + 6 database commands', async () => {
  const statuses: number[] = [];
  const lookUp = await commandsDuring(async () => statuses.push((await tenant.scim.filter('userName', 'new@trips.example')).status));
  const create = await commandsDuring(async () => statuses.push((await tenant.scim.post('/Users', entraUserBody('new@trips.example'))).status));
  expect(statuses).toEqual([200, 201]);
  expect(lookUp, lookUp.join('\n')).toEqual(['find scimusers']);
  expect(create.length, create.join('\n')).toBeLessThanOrEqual(6);
});
