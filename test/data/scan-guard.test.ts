import { beforeAll, expect, test } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { indexUserList } from '../../lib/accounts/index-user-list';
import { claimOnce, withLock } from '../../lib/claims';
import { Types } from 'mongoose';
import { appendToChain } from '../../lib/audit-chain/append';
import { AuditActionModel } from '../../lib/models';
import { hashPassword } from '../../lib/passwords';
import { purgeFiles } from '../../activities/deletion/purge-files';
import { countUserObjects } from '../../activities/migration/objects';
import { endSsoSessions } from '../../lib/sso/end-sessions';
import { hubMember, seedFiles, seedId, seededEmail, seededTenantId, seedWorld, type WorldSize } from '../../scripts/lib/bulk-seed';
import { recordCommands, scansIn, type RecordedCommand } from '../support/query-plans';
import type { HttpClient } from '../support/http-client';
import { sendInvite } from '../invites/support';
import { createUser, signedIn } from '../support/people';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';
import { sql } from '../../scripts/lib/postgres';
import { TEST_PORTS } from '../../scripts/lib/test-services';

/**
 * The scan guard: every hot-path query, run by the app on a seeded database (a few thousand
 * documents per collection), must be answered through an index. The commands are the ones the
 * app really sends (command monitoring); each filter is explained by FerretDB on PostgreSQL,
 * and any plan with a Seq Scan fails the test, naming the query. PostgreSQL plans index-first
 * (`enable_seqscan=off`, scripts/lib/postgres.ts), as the embedded default does: only a query no
 * index can serve may show a scan, whatever the statistics of these small tables say.
 */
const SIZE: WorldSize = { tenants: 40, users: 2_000, sessions: 2_000, auditEvents: 4_000, hubs: 100, files: 2_000 };
const PASSWORD = 'growth-password-1';
/** A seeded standard user who is an admin of hub 0 (its second member). */
const ME = hubMember(0, 1, SIZE);
const HUB = String(seedId('hub', 0));
const TRAIL = 'guard-trail';

const stack = useStack({ entra: true });
let tenant: SsoTenant;
let me: HttpClient;
let staff: HttpClient;

beforeAll(async () => {
  expect(
    sql(TEST_PORTS.postgres, 'postgres', 'SHOW enable_seqscan'),
    'restart `npm run test:services`: its PostgreSQL predates index-first planning',
  ).toBe('off');
  await seedWorld(SIZE, { passwordHash: await hashPassword(PASSWORD) });
  // The bulk seed writes around the model, as a data load would: the worker's start-up back-fill keys the users.
  await indexUserList();
  // Someone leaving with many files, among everyone else's: inline ones (purged slot by slot)
  // and small ones stored in GridFS before inline files existed; someone else with a few.
  await seedFiles(600, () => ({ ownerId: seedId('user', 1, 1) }), { space: 1 });
  await seedFiles(100, () => ({ ownerId: seedId('user', 1, 1) }), { space: 2, layout: 'gridfs' });
  await seedFiles(20, () => ({ ownerId: seedId('user', 2, 1) }), { space: 3 });
  // A tenancy whose trail spans several buckets, a second apart: its search reads the chain.
  await Promise.all(
    Array.from({ length: 350 }, (_, i) =>
      appendToChain({
        _id: new Types.ObjectId(),
        at: new Date(Date.now() + i * 1000),
        action: i % 2 ? 'sso.signed-in' : 'auth.signout',
        outcome: 'success',
        actor: { kind: 'system' },
        tenantId: TRAIL,
      }),
    ),
  );
  tenant = await connectTenant(stack, { domains: ['guard.test'] });
  tenant.emulated.addUser({ email: 'carol@guard.test' });
  await createUser({ email: 'staff@entrada.test', isStaff: true, password: PASSWORD });
  [me, staff] = await Promise.all([
    signedIn(stack.env.baseUrl, seededEmail(ME, SIZE), PASSWORD),
    signedIn(stack.env.baseUrl, 'staff@entrada.test', PASSWORD),
  ]);
});

/** Runs `fn`, returning the commands it sent. */
async function during(fn: () => Promise<unknown>): Promise<RecordedCommand[]> {
  const recorder = recordCommands();
  try {
    await fn();
  } finally {
    recorder.stop();
  }
  return recorder.commands;
}

const ok = async (res: Promise<Response> | Promise<{ status: number }>, status = 200) => expect((await res).status).toBe(status);

test('no hot-path query scans a table', async () => {
  const sso = new SsoBrowser(stack.env, tenant);
  await ok(sso.signIn('carol@guard.test'), 303); // first contact: provisioned

  const paths: Record<string, () => Promise<unknown>> = {
    'password sign-in': () => signedIn(stack.env.baseUrl, seededEmail(ME + 2, SIZE), PASSWORD),
    'SSO sign-in (returning user)': () => ok(sso.signIn('carol@guard.test'), 303),
    'session load': () => ok(me.api('GET', '/api/auth/me')),
    'file list': () => ok(me.api('GET', '/api/files')),
    'meetings list': () => ok(me.api('GET', '/api/meetings')),
    'file download': async () => {
      const files = (await me.api('GET', '/api/files')).body.owned as { id: string }[];
      await ok(me.get(`/api/files/${files[0].id}/content`));
    },
    'hub pages': async () => {
      await ok(me.get('/hubs'));
      await ok(me.get(`/hubs/${HUB}`));
      await ok(me.api('GET', `/api/hubs/${HUB}/files`));
      await ok(me.api('GET', `/api/hubs/${HUB}/members`));
    },
    invites: async () => {
      const invited = await sendInvite(stack.env, me, { email: 'newcomer@outside.test', hubId: HUB });
      await ok(me.get('/invites'));
      const guest = await signedIn(stack.env.baseUrl, seededEmail(ME + 4, SIZE), PASSWORD);
      await ok(guest.get(invited.path));
    },
    claims: async () => {
      await claimOnce(`guard:${Date.now()}`);
      await withLock('guard', async () => undefined);
    },
    'staff audit search': async () => {
      await ok(staff.api('GET', `/api/staff/audit?tenant=${seededTenantId(3)}&action=sso.signed-in`));
      await ok(staff.get(`/staff/audit?tenant=${seededTenantId(3)}&action=sso.signed-in`));
    },
    'portal users list (first page, a deep page, a search)': async () => {
      const users = `/portal/${seededTenantId(3)}/users`;
      await ok(staff.get(users));
      // A user of tenancy 3 midway through its list.
      await ok(staff.get(`${users}?after=${encodeURIComponent(seededEmail(2 * (3 + SIZE.tenants * 12), SIZE))}`));
      await ok(staff.get(`${users}?q=u1`));
    },
    'staff user list and search (first page, the next, a name search, filtered)': async () => {
      const first = await staff.api('GET', '/api/staff/users?limit=20');
      expect(first.body.next).toBeTruthy();
      await ok(staff.api('GET', `/api/staff/users?limit=20&after=${encodeURIComponent(first.body.next)}`));
      await ok(staff.get('/staff/users?q=u1'));
      await ok(staff.get('/staff/users?q=carol&kind=sso&status=active'));
    },
    'staff audit search read from a chain (first page, then older)': async () => {
      const first = await staff.api('GET', `/api/staff/audit?tenant=${TRAIL}&action=sso.signed-in`);
      expect(first.status).toBe(200);
      await ok(staff.api('GET', `/api/staff/audit?tenant=${TRAIL}&before=${first.body.next}`));
    },
    'single logout (sessions by NameID and SessionIndex)': async () => {
      await ok(sso.signIn('carol@guard.test'), 303);
      expect(await endSsoSessions(tenant.tenantId, 'carol@guard.test', ['no-such-index'])).toBe(0);
      expect(await endSsoSessions(tenant.tenantId, 'carol@guard.test', [])).toBeGreaterThan(0);
    },
    "migration's object counts (before and after)": () => countUserObjects(String(seedId('user', 1, 1))),
    'deletion purge (inline by slot, then GridFS)': () =>
      new MockActivityEnvironment().run(() => purgeFiles({ ownerId: seedId('user', 1, 1) })),
    'deletion purge (a few inline files at once)': () =>
      new MockActivityEnvironment().run(() => purgeFiles({ ownerId: seedId('user', 2, 1) })),
  };
  const scans: Record<string, unknown[]> = {};
  for (const [name, run] of Object.entries(paths)) {
    const commands = await during(run);
    expect(commands.length, `${name} sent no query`).toBeGreaterThan(0);
    const found = await scansIn(commands, [AuditActionModel.collection.collectionName]);
    if (found.length) scans[name] = found;
  }
  expect(scans).toEqual({});
});
